package io.pretext.data.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;

/** Generates text corpora for the tests: seeded English-like sentences, and gzip and bzip2 files. */
public final class TestTexts {
  private static final String[] WORDS = ("the of and to in is was for on that with as by at from his her an which "
      + "their were are or had one all been has more also new first time other two after people would who made may "
      + "system world during state city group part number known between several three century government family "
      + "water university river school national music called area history island play series became american "
      + "unbelievably extraordinary counterrevolutionaries internationalization photosynthesis").split(" ");

  private TestTexts() {}

  /** A sentence of {@code words} words drawn by {@code seed}, starting with a capital letter and ending with a period. */
  public static String sentence(long seed, int words) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      String w = WORDS[r.nextInt(WORDS.length)];
      b.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : " " + w);
      if (i > 0 && i < words - 1 && r.nextInt(8) == 0) {
        b.append(',');
      }
    }
    return b.append('.').toString();
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** bzip2 through Hadoop's codec (its pure-Java implementation when no native library is loaded). */
  public static byte[] bzip2(byte[] data) {
    BZip2Codec codec = new BZip2Codec();
    codec.setConf(new Configuration());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream bz = codec.createOutputStream(out)) {
      bz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Concatenates byte arrays. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}

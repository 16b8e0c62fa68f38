package io.pretext.data.dataset;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers used for record ids, shard checksums and provenance. */
public final class Checksums {
  private Checksums() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** A file's size in bytes and SHA-256 (hex), read in one pass. */
  public record FileDigest(long bytes, String sha256) {}

  /** Streams {@code file} once through SHA-256. */
  public static FileDigest digest(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path file) throws java.io.IOException {
    MessageDigest md = sha256();
    long bytes = 0;
    try (java.io.InputStream in = fs.open(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        bytes += n;
      }
    }
    return new FileDigest(bytes, HexFormat.of().formatHex(md.digest()));
  }
}

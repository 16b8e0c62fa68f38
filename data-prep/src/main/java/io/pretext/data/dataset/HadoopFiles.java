package io.pretext.data.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small helpers over Hadoop's {@link FileSystem}, so every path may be file://, hdfs:// or s3a://. I/O failures
 * become {@link UncheckedIOException}s that name the path; callers that know what the file is (a dataset, a run)
 * translate them where that helps the user.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  public static FileSystem fs(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + path + ": " + e.getMessage(), e);
    }
  }

  public static boolean exists(Path path, Configuration conf) {
    try {
      return fs(path, conf).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path + ": " + e.getMessage(), e);
    }
  }

  public static String readString(Path path, Configuration conf) {
    try (InputStream in = fs(path, conf).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public static byte[] readBytes(Path path, Configuration conf) {
    try (InputStream in = fs(path, conf).open(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses two locations of which one is the other or lies inside it, compared after qualification (scheme,
   * authority and absolute path, so {@code /x}, {@code file:/x} and {@code file:///x} are one place). Checked before
   * any work: an output inside an input is read back as input by the next run, and replacing an output that holds
   * an input deletes the input.
   *
   * @param inner the option that must not lie inside {@code outer}, e.g. {@code --output}
   * @param outer the option it is checked against, e.g. {@code --input}
   * @throws DatasetException naming both options, both locations and the fix
   */
  public static void requireApart(String inner, String innerUri, String outer, String outerUri, Configuration conf) {
    if (innerUri == null || outerUri == null) {
      return;
    }
    java.net.URI a = qualify(innerUri, conf);
    java.net.URI b = qualify(outerUri, conf);
    if (!java.util.Objects.equals(a.getScheme(), b.getScheme()) || !java.util.Objects.equals(a.getAuthority(), b.getAuthority())) {
      return;
    }
    String pa = a.getPath().replaceAll("/+$", "") + "/";
    String pb = b.getPath().replaceAll("/+$", "") + "/";
    if (pa.equals(pb)) {
      throw new DatasetException(inner + " " + innerUri + " and " + outer + " " + outerUri + " are the same location; choose an "
          + inner + " apart from " + outer);
    }
    if (pa.startsWith(pb)) {
      throw new DatasetException(inner + " " + innerUri + " lies inside " + outer + " " + outerUri + "; choose an " + inner
          + " outside " + outer);
    }
    if (pb.startsWith(pa)) {
      throw new DatasetException(outer + " " + outerUri + " lies inside " + inner + " " + innerUri + "; choose an " + inner
          + " that does not contain " + outer);
    }
  }

  private static java.net.URI qualify(String uri, Configuration conf) {
    Path p = new Path(uri);
    return fs(p, conf).makeQualified(p).toUri();
  }

  /**
   * Writes {@code content} to a temporary sibling and renames it into place, so readers see either
   * nothing or the whole file (rename is atomic on HDFS and local file systems; on S3 it is a copy).
   */
  public static void writeAtomically(Path path, byte[] content, Configuration conf) {
    FileSystem fs = fs(path, conf);
    Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp");
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(content);
      }
      if (fs.exists(path)) {
        fs.delete(path, false);
      }
      if (!fs.rename(tmp, path)) {
        throw new IOException("rename " + tmp + " -> " + path + " returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }
}

package io.pretext.data.dataset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet file's footer independent of the JVM that wrote it, so that the same records give the same bytes
 * in every process.
 *
 * <p>Why: parquet-mr 1.13 collects a column chunk's encodings in a {@code HashSet<Encoding>} and writes them in its
 * iteration order, which follows the enum constants' identity hash codes and so changes from one JVM to the next
 * ({@code [PLAIN, RLE]} in one run, {@code [RLE, PLAIN]} in the next: thrift bytes {@code 00 06} or {@code 06 00}).
 * Every other byte of the file is a function of the rows. The footer is decoded with parquet-format's own thrift
 * classes, each encodings list sorted by its thrift value, and re-encoded with the same serializer parquet-mr uses;
 * the file is rewritten only if that changed a byte (the data before the footer is copied unchanged, so every offset
 * in the footer stays valid).
 *
 * <p>Layout read: {@code ... footer, footer length (4 bytes, little-endian), "PAR1"}. Encrypted footers
 * ({@code "PARE"}) are not written by Pretext and are refused.
 */
final class ShardFooter {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private ShardFooter() {}

  /** Rewrites {@code file} with a canonical footer if its footer is not canonical; returns true if it rewrote it. */
  static boolean canonicalise(FileSystem fs, Path file) throws IOException {
    return rewrite(fs, file, Comparator.comparingInt(Encoding::getValue));
  }

  /** Rewrites the footer with every column chunk's encodings in {@code order}; tests use a reversed order. */
  static boolean rewrite(FileSystem fs, Path file, Comparator<Encoding> order) throws IOException {
    long length = fs.getFileStatus(file).getLen();
    byte[] tail = new byte[8];
    byte[] footer;
    try (FSDataInputStream in = fs.open(file)) {
      in.readFully(length - 8, tail);
      if (!Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        throw new IOException(file + " is not a plain Parquet file (no PAR1 at its end)");
      }
      int footerLength = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (footerLength <= 0 || footerLength > length - 12) {
        throw new IOException(file + " has a footer length of " + footerLength + " in a file of " + length + " bytes");
      }
      footer = new byte[footerLength];
      in.readFully(length - 8 - footerLength, footer);
    }
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer));
    for (RowGroup group : meta.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        ColumnMetaData column = chunk.getMeta_data();
        if (column != null && column.isSetEncodings()) {
          List<Encoding> sorted = new ArrayList<>(column.getEncodings());
          sorted.sort(order);
          column.setEncodings(sorted);
        }
      }
    }
    ByteArrayOutputStream canonical = new ByteArrayOutputStream(footer.length);
    Util.writeFileMetaData(meta, canonical);
    byte[] bytes = canonical.toByteArray();
    if (Arrays.equals(bytes, footer)) {
      return false;
    }
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".canonical");
    long data = length - 8 - footer.length;
    try (InputStream in = fs.open(file); OutputStream out = fs.create(tmp, true)) {
      byte[] buf = new byte[1 << 16];
      long left = data;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(file + " ended before its footer");
        }
        out.write(buf, 0, n);
        left -= n;
      }
      out.write(bytes);
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
      out.write(MAGIC);
    }
    if (!fs.delete(file, false) || !fs.rename(tmp, file)) {
      throw new IOException("cannot replace " + file + " by " + tmp);
    }
    return true;
  }
}

package io.pretext.data.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The IDX container of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian
 * header {@code 0x00 0x00 type ndims}, {@code ndims} 32-bit sizes, then row-major data. Only unsigned
 * bytes (type {@code 0x08}) are supported: 3 dimensions for images (n, rows, cols), 1 for labels.
 * Gzipped files are recognised by their magic bytes and inflated transparently.
 *
 * @param dims the declared dimensions
 * @param data the payload after the header; may be shorter than declared if the file is truncated
 * @param offset index in {@code data} where the payload starts
 */
public record IdxFile(int[] dims, byte[] data, int offset) {

  /** An IDX file that inflates to more than the bound it was parsed with. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  /** Parses an IDX file (gzipped or not), inflating at most 2 GiB. Throws {@link IOException} with a clear message if malformed. */
  public static IdxFile parse(byte[] fileBytes) throws IOException {
    return parse(fileBytes, Integer.MAX_VALUE - 64);
  }

  /**
   * Parses an IDX file (gzipped or not) whose content may be at most {@code maxBytes}: a gzip stream that inflates
   * past it (a gzip bomb, or simply too large) stops there with {@link TooLargeException}, having held no more than
   * {@code maxBytes} of output.
   */
  public static IdxFile parse(byte[] fileBytes, long maxBytes) throws IOException {
    if (fileBytes.length > maxBytes) {
      throw new TooLargeException(fileBytes.length + " bytes, more than the limit of " + maxBytes);
    }
    byte[] bytes = isGzip(fileBytes) ? gunzip(fileBytes, maxBytes) : fileBytes;
    if (bytes.length < 4 || bytes[0] != 0 || bytes[1] != 0) {
      throw new IOException("not an IDX file: bad magic");
    }
    if ((bytes[2] & 0xFF) != 0x08) {
      throw new IOException(String.format("IDX element type 0x%02x is not supported (only unsigned byte 0x08)", bytes[2] & 0xFF));
    }
    int ndims = bytes[3] & 0xFF;
    if (ndims < 1 || ndims > 3 || bytes.length < 4 + 4 * ndims) {
      throw new IOException("IDX header declares " + ndims + " dimensions; expected 1 (labels) or 3 (images) and a complete header");
    }
    int[] dims = new int[ndims];
    for (int i = 0; i < ndims; i++) {
      int p = 4 + 4 * i;
      dims[i] = ((bytes[p] & 0xFF) << 24) | ((bytes[p + 1] & 0xFF) << 16) | ((bytes[p + 2] & 0xFF) << 8) | (bytes[p + 3] & 0xFF);
      if (dims[i] < 0) {
        throw new IOException("IDX dimension " + i + " is negative");
      }
    }
    return new IdxFile(dims, bytes, 4 + 4 * ndims);
  }

  /** Declared number of items (first dimension). */
  public int declaredCount() {
    return dims[0];
  }

  /** Bytes per item: rows * cols for images, 1 for labels. */
  public int itemSize() {
    int size = 1;
    for (int i = 1; i < dims.length; i++) {
      size *= dims[i];
    }
    return size;
  }

  /** How many items are complete in the data actually present (less than declared if truncated). */
  public int completeCount() {
    long available = (data.length - offset) / Math.max(1, itemSize());
    return (int) Math.min(declaredCount(), available);
  }

  /** Image {@code i} as a 1-channel image (requires 3 dimensions). */
  public DecodedImage image(int i) {
    if (dims.length != 3) {
      throw new IllegalStateException("IDX file has " + dims.length + " dimensions, not an image file");
    }
    int size = itemSize();
    byte[] px = new byte[size];
    System.arraycopy(data, offset + i * size, px, 0, size);
    return new DecodedImage(1, dims[1], dims[2], px);
  }

  /** Label {@code i} (requires 1 dimension). */
  public int label(int i) {
    return data[offset + i] & 0xFF;
  }

  private static boolean isGzip(byte[] b) {
    return b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B;
  }

  private static byte[] gunzip(byte[] b, long maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(maxBytes, Math.min(Integer.MAX_VALUE - 64, b.length * 4L)));
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          if (out.size() + (long) n > maxBytes) {
            throw new TooLargeException("the gzip stream inflates to more than the limit of " + maxBytes + " bytes (--max-file-bytes)");
          }
          out.write(buf, 0, n);
        }
      } catch (java.io.EOFException e) {
        // Truncated gzip: keep what was inflated; completeCount() reports the shortfall.
      }
    }
    return out.toByteArray();
  }
}

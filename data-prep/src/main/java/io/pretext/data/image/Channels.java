package io.pretext.data.image;

/** Channel conversion for already-decoded 8-bit images (same rules as {@link ImageDecoder}). */
public final class Channels {
  private Channels() {}

  /** Returns {@code in} with {@code channels} channels: BT.601 luma for RGB to gray, replication for gray to RGB. */
  public static DecodedImage convert(DecodedImage in, int channels) {
    if (in.channels() == channels) {
      return in;
    }
    int plane = in.height() * in.width();
    byte[] src = in.pixels();
    if (channels == 3) {
      byte[] out = new byte[3 * plane];
      for (int c = 0; c < 3; c++) {
        System.arraycopy(src, 0, out, c * plane, plane);
      }
      return new DecodedImage(3, in.height(), in.width(), out);
    }
    if (channels != 1) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    byte[] out = new byte[plane];
    for (int i = 0; i < plane; i++) {
      int r = src[i] & 0xFF;
      int g = src[plane + i] & 0xFF;
      int b = src[2 * plane + i] & 0xFF;
      out[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
    }
    return new DecodedImage(1, in.height(), in.width(), out);
  }
}

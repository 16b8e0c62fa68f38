package io.pretext.data.image;

/**
 * An 8-bit image in planar CHW layout: {@code pixels[c * height * width + y * width + x]},
 * unsigned values 0..255 stored in Java bytes.
 *
 * @param channels 1 (grayscale) or 3 (RGB)
 * @param height rows, at least 1
 * @param width columns, at least 1
 * @param pixels {@code channels * height * width} bytes
 */
public record DecodedImage(int channels, int height, int width, byte[] pixels) {
  public DecodedImage {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
    }
    if (pixels.length != (long) channels * height * width) {
      throw new IllegalArgumentException("expected " + (long) channels * height * width
          + " pixel bytes for " + channels + "x" + height + "x" + width + ", got " + pixels.length);
    }
  }

  /** Unsigned value of channel {@code c} at ({@code y}, {@code x}). */
  public int get(int c, int y, int x) {
    return pixels[(c * height + y) * width + x] & 0xFF;
  }
}

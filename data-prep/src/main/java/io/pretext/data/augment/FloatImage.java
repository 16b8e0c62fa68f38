package io.pretext.data.augment;

import io.pretext.data.image.Pixels;
import java.io.Serializable;
import java.util.Arrays;

/**
 * An immutable image of {@code channels} (1 or 3) planes of {@code height x width} float pixels in
 * [0, 1], stored in CHW order: pixel (c, y, x) is at {@code c * height * width + y * width + x}.
 *
 * <p>Stored datasets keep uint8 pixels in CHW order; {@link #fromBytes} and {@link #toBytes} convert
 * through {@link Pixels} (byte {@code v} is {@code v / 255f}, and back with rounding), so a byte
 * image round-trips exactly.
 *
 * <p>Instances built through the public factories own a private copy of their pixels; accessors
 * return copies. Transforms in this package hand images to each other without copying through a
 * package-private factory.
 */
public final class FloatImage implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] data;

  private FloatImage(int channels, int height, int width, float[] data) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.data = data;
  }

  /**
   * Copies {@code chw} into a new image after checking the shape and that every value is a finite
   * number in [0, 1].
   *
   * @throws IllegalArgumentException naming the offending argument, value and allowed range
   */
  public static FloatImage of(int channels, int height, int width, float[] chw) {
    checkShape(channels, height, width);
    if (chw == null) {
      throw new IllegalArgumentException("chw must not be null");
    }
    checkLength("chw", chw.length, channels, height, width);
    for (int i = 0; i < chw.length; i++) {
      float v = chw[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new IllegalArgumentException(
            "chw[" + i + "] = " + v + " is outside the allowed pixel range [0, 1]");
      }
    }
    return new FloatImage(channels, height, width, chw.clone());
  }

  /**
   * Decodes uint8 pixels in CHW order ({@code chwUint8[c*h*w + y*w + x]}, unsigned) to [0, 1].
   *
   * @throws IllegalArgumentException if the shape is invalid or the array length is not c*h*w
   */
  public static FloatImage fromBytes(byte[] chwUint8, int c, int h, int w) {
    checkShape(c, h, w);
    if (chwUint8 == null) {
      throw new IllegalArgumentException("chwUint8 must not be null");
    }
    checkLength("chwUint8", chwUint8.length, c, h, w);
    return new FloatImage(c, h, w, Pixels.toInput(chwUint8));
  }

  /** Wraps {@code data} without copying or range checks; callers in this package own the array. */
  static FloatImage trusted(int channels, int height, int width, float[] data) {
    return new FloatImage(channels, height, width, data);
  }

  /** Encodes to uint8 CHW: {@code round(clamp(v, 0, 1) * 255)}. */
  public byte[] toBytes() {
    byte[] out = new byte[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Pixels.fromInput(data[i]);
    }
    return out;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Number of floats, {@code channels * height * width}. */
  public int size() {
    return data.length;
  }

  /** The pixel at channel {@code c}, row {@code y}, column {@code x}. */
  public float get(int c, int y, int x) {
    if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
      throw new IndexOutOfBoundsException(
          "(c, y, x) = (" + c + ", " + y + ", " + x + ") outside shape " + shapeString());
    }
    return data[(c * height + y) * width + x];
  }

  /** A copy of the pixels in CHW order. */
  public float[] data() {
    return data.clone();
  }

  /** Copies the CHW pixels into {@code dst} starting at {@code offset}. */
  public void copyTo(float[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  /** The backing array; package code must not modify it. */
  float[] raw() {
    return data;
  }

  /** True if {@code other} has the same channels, height and width. */
  public boolean sameShape(FloatImage other) {
    return channels == other.channels && height == other.height && width == other.width;
  }

  /** Shape as {@code [C, H, W]}. */
  public String shapeString() {
    return "[" + channels + ", " + height + ", " + width + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatImage f
        && sameShape(f)
        && Arrays.equals(data, f.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatImage" + shapeString();
  }

  static void checkShape(int c, int h, int w) {
    if (c != 1 && c != 3) {
      throw new IllegalArgumentException("channels = " + c + " is not allowed; allowed: 1 or 3");
    }
    if (h < 1) {
      throw new IllegalArgumentException("height = " + h + " is not allowed; allowed range [1, inf)");
    }
    if (w < 1) {
      throw new IllegalArgumentException("width = " + w + " is not allowed; allowed range [1, inf)");
    }
    if ((long) c * h * w > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "channels*height*width = " + ((long) c * h * w) + " exceeds the maximum array size");
    }
  }

  private static void checkLength(String name, int length, int c, int h, int w) {
    if (length != c * h * w) {
      throw new IllegalArgumentException(
          name + ".length = " + length + " but channels*height*width = " + c + "*" + h + "*" + w
              + " = " + (c * h * w));
    }
  }
}

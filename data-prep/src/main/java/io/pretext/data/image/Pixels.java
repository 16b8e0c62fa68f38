package io.pretext.data.image;

/**
 * The one place that turns stored pixels into network input and back. Datasets keep uint8 pixels in CHW order; the
 * network sees {@code v / 255f} in [0, 1], with no mean/std normalisation (the first layer is followed by batch
 * normalisation). Training views, evaluation features, {@code embed}, the kNN monitor and the raw-pixel baseline all
 * go through here, so they agree on what a pixel is.
 */
public final class Pixels {
  /** {@code TO_INPUT[v] = v / 255f}, the exact float of each uint8 level. */
  private static final float[] TO_INPUT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      TO_INPUT[i] = i / 255f;
    }
  }

  private Pixels() {}

  /** Network input value of the unsigned byte {@code v}: {@code (v & 0xFF) / 255f}. */
  public static float toInput(byte v) {
    return TO_INPUT[v & 0xFF];
  }

  /** Writes {@code toInput(src[i])} to {@code dst[offset + i]} for every byte of {@code src}. */
  public static void toInput(byte[] src, float[] dst, int offset) {
    for (int i = 0; i < src.length; i++) {
      dst[offset + i] = TO_INPUT[src[i] & 0xFF];
    }
  }

  /** {@code toInput} of every byte, as a new array. */
  public static float[] toInput(byte[] src) {
    float[] out = new float[src.length];
    toInput(src, out, 0);
    return out;
  }

  /** The stored byte for input value {@code v}: {@code round(clamp(v, 0, 1) * 255)}, the inverse of {@link #toInput}. */
  public static byte fromInput(float v) {
    float c = v < 0f ? 0f : (v > 1f ? 1f : v);
    return (byte) (int) (c * 255f + 0.5f);
  }
}

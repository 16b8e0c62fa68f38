package io.pretext.data.augment;

/**
 * ITU-R 601 luma weights used by torchvision's {@code rgb_to_grayscale} (0.2989, 0.587, 0.114),
 * shared by colour jitter (contrast, saturation) and random grayscale.
 */
final class Luma {
  static final float R = 0.2989f;
  static final float G = 0.587f;
  static final float B = 0.114f;

  private Luma() {}

  /** Writes the luma of each pixel of a 3-channel CHW array into {@code out[0..plane)}. */
  static void gray(float[] chw, int plane, float[] out) {
    for (int i = 0; i < plane; i++) {
      out[i] = R * chw[i] + G * chw[plane + i] + B * chw[2 * plane + i];
    }
  }

  /** Mean of one plane. */
  static float mean(float[] p) {
    // Four independent accumulators break the add dependency chain; the order is fixed, so the
    // result is deterministic.
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < p.length; i += 4) {
      s0 += p[i];
      s1 += p[i + 1];
      s2 += p[i + 2];
      s3 += p[i + 3];
    }
    for (; i < p.length; i++) {
      s0 += p[i];
    }
    return (float) (((s0 + s1) + (s2 + s3)) / p.length);
  }

  /** Mean luma of three equally long channel planes. */
  static float mean(float[] r, float[] g, float[] b) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < r.length; i += 4) {
      s0 += R * r[i] + G * g[i] + B * b[i];
      s1 += R * r[i + 1] + G * g[i + 1] + B * b[i + 1];
      s2 += R * r[i + 2] + G * g[i + 2] + B * b[i + 2];
      s3 += R * r[i + 3] + G * g[i + 3] + B * b[i + 3];
    }
    for (; i < r.length; i++) {
      s0 += R * r[i] + G * g[i] + B * b[i];
    }
    return (float) (((s0 + s1) + (s2 + s3)) / r.length);
  }
}

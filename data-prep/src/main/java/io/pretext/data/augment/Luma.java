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

  /** Mean luma of a CHW image with 1 or 3 channels (the mean pixel for 1 channel). */
  static float mean(float[] chw, int channels, int plane) {
    double sum = 0;
    if (channels == 1) {
      for (int i = 0; i < plane; i++) {
        sum += chw[i];
      }
    } else {
      for (int i = 0; i < plane; i++) {
        sum += R * chw[i] + G * chw[plane + i] + B * chw[2 * plane + i];
      }
    }
    return (float) (sum / plane);
  }
}

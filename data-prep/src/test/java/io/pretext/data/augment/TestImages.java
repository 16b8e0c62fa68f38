package io.pretext.data.augment;

import java.util.SplittableRandom;

/** Seeded synthetic images for tests. */
final class TestImages {
  private TestImages() {}

  /** Uniform random pixels in [0, 1] from a seeded stream. */
  static FloatImage random(int c, int h, int w, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[c * h * w];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) rng.nextDouble();
    }
    return FloatImage.of(c, h, w, d);
  }

  static FloatImage constant(int c, int h, int w, float v) {
    float[] d = new float[c * h * w];
    java.util.Arrays.fill(d, v);
    return FloatImage.of(c, h, w, d);
  }

  /** Pixel (c, y, x) = c * 0.25 + y * 0.01 + x * 0.001, distinct and in [0, 1] for small images. */
  static FloatImage ramp(int c, int h, int w) {
    float[] d = new float[c * h * w];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          d[(ch * h + y) * w + x] = ch * 0.25f + y * 0.01f + x * 0.001f;
        }
      }
    }
    return FloatImage.of(c, h, w, d);
  }
}

package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * With probability {@code p}, inverts every pixel at or above {@code threshold}:
 * {@code v >= threshold ? 1 - v : v} ({@code torchvision.transforms.RandomSolarize}). Not part of
 * SimCLR; BYOL (Grill et al. 2020, "Bootstrap Your Own Latent", Table 6) uses threshold 0.5 with
 * p = 0 for the first view and 0.2 for the second.
 */
public final class Solarize extends InPlaceTransform {
  private static final long serialVersionUID = 1L;

  /** BYOL threshold (128/256 in 8-bit terms). */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private final float threshold;
  private final double p;

  /**
   * @param threshold in [0, 1]
   * @param p probability in [0, 1]
   */
  public Solarize(double threshold, double p) {
    Check.range("solarizeThreshold", threshold, 0.0, 1.0);
    Check.probability("solarizeProb", p);
    this.threshold = (float) threshold;
    this.p = p;
  }

  public double threshold() {
    return threshold;
  }

  public double p() {
    return p;
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    return rng.nextDouble() < p ? solarize(in, threshold) : in;
  }

  @Override
  FloatImage applyOwned(FloatImage owned, SplittableRandom rng) {
    if (rng.nextDouble() < p) {
      solarize(owned.raw(), owned.raw(), threshold);
    }
    return owned;
  }

  /** Deterministic solarization. */
  static FloatImage solarize(FloatImage in, float threshold) {
    float[] out = new float[in.size()];
    solarize(in.raw(), out, threshold);
    return FloatImage.trusted(in.channels(), in.height(), in.width(), out);
  }

  /** {@code dst} may be {@code src}. */
  private static void solarize(float[] src, float[] dst, float threshold) {
    for (int i = 0; i < src.length; i++) {
      float v = src[i];
      dst[i] = v >= threshold ? 1f - v : v;
    }
  }

  @Override
  public String toString() {
    return "Solarize(threshold=" + threshold + ", p=" + p + ")";
  }
}

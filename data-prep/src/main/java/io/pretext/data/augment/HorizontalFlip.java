package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * Mirrors the image left-right with probability {@code p} (SimCLR, Chen et al. 2020, Appendix A:
 * random crop "with flip", p = 0.5). Exact: flipping twice returns the original pixels bit for bit.
 */
public final class HorizontalFlip extends InPlaceTransform {
  private static final long serialVersionUID = 1L;

  /** SimCLR default flip probability. */
  public static final double DEFAULT_P = 0.5;

  private final double p;

  /** @param p probability in [0, 1] of flipping */
  public HorizontalFlip(double p) {
    Check.probability("flipProb", p);
    this.p = p;
  }

  public double p() {
    return p;
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    return rng.nextDouble() < p ? flip(in) : in;
  }

  @Override
  FloatImage applyOwned(FloatImage owned, SplittableRandom rng) {
    if (rng.nextDouble() < p) {
      float[] d = owned.raw();
      int w = owned.width();
      int rows = owned.channels() * owned.height();
      for (int r = 0; r < rows; r++) {
        int a = r * w;
        int b = a + w - 1;
        while (a < b) {
          float t = d[a];
          d[a++] = d[b];
          d[b--] = t;
        }
      }
    }
    return owned;
  }

  /** The deterministic left-right mirror of {@code in}. */
  public static FloatImage flip(FloatImage in) {
    int w = in.width();
    int rows = in.channels() * in.height();
    float[] src = in.raw();
    float[] dst = new float[src.length];
    for (int r = 0; r < rows; r++) {
      int base = r * w;
      int last = base + w - 1;
      for (int x = 0; x < w; x++) {
        dst[base + x] = src[last - x];
      }
    }
    return FloatImage.trusted(in.channels(), in.height(), w, dst);
  }

  @Override
  public String toString() {
    return "HorizontalFlip(p=" + p + ")";
  }
}

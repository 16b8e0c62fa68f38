package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * With probability {@code p}, replaces every channel of a 3-channel image by its luma
 * (0.2989 R + 0.587 G + 0.114 B), keeping 3 channels ({@code torchvision.transforms.RandomGrayscale};
 * SimCLR, Chen et al. 2020, Appendix A, p = 0.2). A 1-channel image is returned unchanged; the
 * decision is still drawn so the random stream does not depend on the channel count.
 */
public final class RandomGrayscale extends InPlaceTransform {
  private static final long serialVersionUID = 1L;

  /** SimCLR default probability. */
  public static final double DEFAULT_P = 0.2;

  private final double p;

  /** @param p probability in [0, 1] */
  public RandomGrayscale(double p) {
    Check.probability("grayscaleProb", p);
    this.p = p;
  }

  public double p() {
    return p;
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    boolean hit = rng.nextDouble() < p;
    return hit && in.channels() == 3 ? toGray(in) : in;
  }

  @Override
  FloatImage applyOwned(FloatImage owned, SplittableRandom rng) {
    boolean hit = rng.nextDouble() < p;
    if (hit && owned.channels() == 3) {
      grayInto(owned.raw(), owned.height() * owned.width(), owned.raw());
    }
    return owned;
  }

  /** The 3-channel grayscale version of a 3-channel image (all channels equal). */
  static FloatImage toGray(FloatImage in) {
    float[] out = new float[in.size()];
    grayInto(in.raw(), in.height() * in.width(), out);
    return FloatImage.trusted(3, in.height(), in.width(), out);
  }

  /** {@code dst} may be {@code src}: pixel i reads all three channels before writing plane 0. */
  private static void grayInto(float[] src, int plane, float[] dst) {
    Luma.gray(src, plane, dst);
    for (int i = 0; i < plane; i++) {
      dst[i] = Math.min(dst[i], 1f); // weights sum to 1.0000 in float; guard rounding
    }
    System.arraycopy(dst, 0, dst, plane, plane);
    System.arraycopy(dst, 0, dst, 2 * plane, plane);
  }

  @Override
  public String toString() {
    return "RandomGrayscale(p=" + p + ")";
  }
}

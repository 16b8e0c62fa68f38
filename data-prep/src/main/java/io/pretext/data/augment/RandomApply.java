package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * Applies a transform with probability {@code p}, otherwise returns the input unchanged
 * ({@code torchvision.transforms.RandomApply}; SimCLR applies colour jitter with p = 0.8,
 * Chen et al. 2020, Appendix A).
 *
 * <p>Always draws exactly one {@code nextDouble()} for the decision, even for p = 0 or 1, so that
 * changing a probability does not shift the random stream of later steps in unrelated ways.
 */
public final class RandomApply extends InPlaceTransform {
  private static final long serialVersionUID = 1L;

  private final ViewTransform inner;
  private final double p;

  /**
   * @param inner the transform to apply
   * @param p probability in [0, 1]
   */
  public RandomApply(ViewTransform inner, double p) {
    if (inner == null) {
      throw new IllegalArgumentException("inner transform must not be null");
    }
    Check.probability("p", p);
    this.inner = inner;
    this.p = p;
  }

  public double p() {
    return p;
  }

  public ViewTransform inner() {
    return inner;
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    return rng.nextDouble() < p ? inner.apply(in, rng) : in;
  }

  @Override
  FloatImage applyOwned(FloatImage owned, SplittableRandom rng) {
    if (!(rng.nextDouble() < p)) {
      return owned;
    }
    return inner instanceof InPlaceTransform ip ? ip.applyOwned(owned, rng) : inner.apply(owned, rng);
  }

  @Override
  public String toString() {
    return "RandomApply(p=" + p + ", " + inner + ")";
  }
}

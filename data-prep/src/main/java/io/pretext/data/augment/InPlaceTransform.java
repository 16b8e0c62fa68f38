package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * Base of transforms that can overwrite an image nobody else holds, saving one allocation (and,
 * for 224 x 224 RGB views on small heaps, a G1 humongous allocation) per step. {@link Compose}
 * calls {@link #applyOwned} only with images created earlier in the same {@code apply} call, never
 * with the caller's input.
 *
 * <p>A package-private abstract class rather than an interface so that {@code applyOwned} stays
 * invisible outside this package: {@link FloatImage} is immutable for every other caller.
 */
abstract class InPlaceTransform implements ViewTransform {
  private static final long serialVersionUID = 1L;

  /**
   * Same result as {@link #apply} with the same {@code rng}, but may write into {@code owned}'s
   * pixels and return {@code owned}; may also return a new image (e.g. if the shape changes).
   */
  abstract FloatImage applyOwned(FloatImage owned, SplittableRandom rng);
}

package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * A transform that can overwrite an image nobody else holds, saving one allocation (and, for
 * 224 x 224 RGB views, a G1 humongous allocation) per step. {@link Compose} calls
 * {@link #applyOwned} only with images created earlier in the same {@code apply} call, never with
 * the caller's input.
 */
interface InPlaceTransform extends ViewTransform {

  /**
   * Same result as {@link #apply} with the same {@code rng}, but may write into {@code owned}'s
   * pixels and return {@code owned}; may also return a new image (e.g. if the shape changes).
   */
  FloatImage applyOwned(FloatImage owned, SplittableRandom rng);
}

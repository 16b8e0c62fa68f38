package io.pretext.data.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * One stochastic image transform of a view pipeline (SimCLR, Chen et al. 2020, Appendix A).
 *
 * <p>Contract: the result depends only on {@code in} and the values drawn from {@code rng}; an
 * implementation must not keep mutable state between calls, must not modify {@code in}, and must
 * be safe to call from many threads at once (Spark executors share one deserialized instance per
 * task). It may return {@code in} itself when it decides not to change the image.
 */
@FunctionalInterface
public interface ViewTransform extends Serializable {

  /** Returns the transformed image; draws all randomness from {@code rng}. */
  FloatImage apply(FloatImage in, SplittableRandom rng);
}

package io.pretext.model.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout masks (Srivastava et al. 2014): each entry is {@code 1 / (1 - p)} with probability {@code 1 - p},
 * else 0, so {@code x * mask} keeps the expectation of {@code x} and inference uses {@code x} unchanged. The same mask
 * multiplies the gradient in the backward pass. Draws come from ND4J's random generator, which DL4J seeds from the
 * network configuration.
 */
final class InvertedDropout {

  private InvertedDropout() {
  }

  /** A mask of {@code shape}, or {@code null} (no dropout) when {@code p == 0}. */
  static INDArray mask(double p, DataType dataType, long... shape) {
    if (p == 0.0) {
      return null;
    }
    INDArray mask = Nd4j.createUninitialized(dataType, shape);
    Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p), Nd4j.getRandom());
    return mask.muli(1.0 / (1.0 - p));
  }

  /** {@code x * mask} in place, or {@code x} when {@code mask} is null. */
  static INDArray apply(INDArray x, INDArray mask) {
    return mask == null ? x : x.muli(mask);
  }
}

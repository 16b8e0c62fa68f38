package io.pretext.model.method;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standard normal noise for a method's own randomness (a VAE's reparameterisation, a GAN's generator input), drawn from
 * per-record streams ({@link io.pretext.model.batch.ImageBatch#streams()}, a pure function of the run's seed, the epoch
 * and the record) so that runs are deterministic and do not depend on how records fall into minibatches.
 */
public final class GaussianNoise {
  private GaussianNoise() {}

  /** {@code [N, width]} FLOAT, row {@code i} drawn from {@code streams[i]}. */
  public static INDArray of(long[] streams, int width) {
    float[] out = new float[streams.length * width];
    for (int i = 0; i < streams.length; i++) {
      SplittableRandom rng = new SplittableRandom(streams[i]);
      for (int j = 0; j < width; j++) {
        out[i * width + j] = (float) rng.nextGaussian();
      }
    }
    return Nd4j.create(out, new long[] {streams.length, width}, 'c');
  }

  /** {@code n} streams drawn from {@code seed}: for held-out scoring and sampling, where no batch gives them. */
  public static long[] streams(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = rng.nextLong();
    }
    return out;
  }
}

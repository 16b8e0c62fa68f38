package io.pretext.model.method;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A capability of a generative image method with a model to draw images from (the VAE's decoder on its prior, a GAN's
 * generator): what {@code pretext reconstruct --samples} and the run report's sample grid ask for, instead of a
 * particular method class.
 */
public interface ImageSampler extends GenerativeImageMethod {

  /**
   * {@code count} generated images, the same for the same {@code seed}.
   *
   * @param graph the run's graph, built by this method or restored from its checkpoint
   * @param state what the method's {@link MethodState#save()} stored in the same checkpoint (a GAN's generator lives
   *     there; empty for a method without state)
   * @return {@code [count, C, H, W]}, pixels in [0, 1]
   * @throws IllegalArgumentException if {@code state} is not a state this method wrote (it comes from a file)
   */
  INDArray sample(ComputationGraph graph, byte[] state, int count, long seed);
}

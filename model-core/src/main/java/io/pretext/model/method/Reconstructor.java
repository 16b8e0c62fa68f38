package io.pretext.model.method;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A capability of a generative image method (autoencoder, VAE): its graph maps an image back to an image. What
 * {@code pretext reconstruct} and the reconstruction monitor ask for, instead of a particular method class.
 */
public interface Reconstructor extends MultiViewMethod {

  /** One view per record: the image reconstructed. */
  @Override
  default int views() {
    return 1;
  }

  /** {@link ViewDefaults#CLEAN}: the whole image, flipped half the time, no colour jitter. */
  @Override
  default ViewDefaults viewDefaults() {
    return ViewDefaults.CLEAN;
  }

  /**
   * Reconstructions of {@code images} ({@code [N, C, H, W]}, pixels in [0, 1]), in inference mode: the autoencoder's
   * decoded code, the VAE's decoded posterior mean.
   *
   * @param graph a graph this method built (or restored from its checkpoint)
   * @return {@code [N, C, H, W]} in [0, 1]
   */
  INDArray reconstruct(ComputationGraph graph, INDArray images);

  /** Width of the code the image is reconstructed from (the autoencoder's {@code --code-dim}, the VAE's {@code --latent}). */
  int codeSize();

  /** Whether {@link #sample} generates images (a model with a prior, the VAE). */
  default boolean canSample() {
    return false;
  }

  /**
   * {@code count} images generated from the method's prior (the VAE's standard normal), or empty if the method has no
   * generative model (an autoencoder).
   */
  default Optional<INDArray> sample(ComputationGraph graph, int count, long seed) {
    return Optional.empty();
  }

  /**
   * Held-out scores of a batch of images in inference mode, summed over its images (divide by the images for means):
   * {@code squaredError} (over pixels in [0, 1]) always; the VAE adds {@code negativeElbo} (nats, one noise sample per
   * image drawn from {@code seed}).
   */
  Map<String, Double> heldOutSums(ComputationGraph graph, INDArray images, long seed);

  /** The summed squared error over the pixels of {@code images} of their {@link #reconstruct reconstructions}. */
  default double squaredError(ComputationGraph graph, INDArray images) {
    INDArray diff = reconstruct(graph, images).castTo(images.dataType()).subi(images);
    return diff.muli(diff).sumNumber().doubleValue();
  }

  /** Monitored by the reconstruction error on the held-out images. */
  @Override
  default OnlineMonitor onlineMonitor() {
    return OnlineMonitor.RECONSTRUCTION;
  }
}

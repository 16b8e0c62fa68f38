package io.pretext.model.method;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A capability of a generative image method (autoencoder, VAE): its graph maps an image back to an image. What
 * {@code pretext reconstruct} and the reconstruction monitor ask for, instead of a particular method class.
 */
public interface Reconstructor extends GenerativeImageMethod {

  /**
   * Reconstructions of {@code images} ({@code [N, C, H, W]}, pixels in [0, 1]), in inference mode: the autoencoder's
   * decoded code, the VAE's decoded posterior mean.
   *
   * @param graph a graph this method built (or restored from its checkpoint)
   * @return {@code [N, C, H, W]} in [0, 1]
   */
  INDArray reconstruct(ComputationGraph graph, INDArray images);

  /**
   * The codes {@code [N, codeSize()]} images are reconstructed from, in inference mode: the autoencoder's code, the
   * VAE's posterior mean.
   */
  INDArray encode(ComputationGraph graph, INDArray images);

  /** Images {@code [N, C, H, W]} decoded from codes {@code [N, codeSize()]}, as {@link #reconstruct} decodes them. */
  INDArray decode(ComputationGraph graph, INDArray codes);

  /** Width of the code the image is reconstructed from (the autoencoder's {@code --code-dim}, the VAE's {@code --latent}). */
  int codeSize();

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

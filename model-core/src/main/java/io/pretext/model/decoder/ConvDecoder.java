package io.pretext.model.decoder;

import io.pretext.model.InputShape;
import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A convolutional image decoder, from a code vector back to an image: the shape of DCGAN's generator (Radford et al.
 * 2016) without its batch norm, used by the autoencoder, the VAE and (as the generator) a GAN.
 *
 * <pre>
 *   code [N, D] -> Dense(c0 * H/4 * W/4, ReLU) -> reshape [N, c0, H/4, W/4]
 *               -> Deconvolution2D(c1, 4x4, stride 2, same, ReLU)     [N, c1, H/2, W/2]
 *               -> Deconvolution2D(C,  4x4, stride 2, same)           [N, C, H, W]
 *               -> ActivationLayer(activation) -> LossLayer(loss, identity) on [N, C*H*W] (flattened NCHW, row-major)
 * </pre>
 *
 * The output layer's activations are the image (sigmoid: pixels in [0, 1], as {@code Pixels} makes them), its
 * labels the target images flattened the same way ({@link #flatten}). Images need a height and width divisible by 4.
 *
 * @param widths {@code [c0, c1]}, the channels after the dense layer and after the first transposed convolution
 */
public record ConvDecoder(List<Integer> widths) implements Serializable {
  /** Local names of the decoder's layers (prefixed). */
  public static final String DENSE = "decoder_dense";
  public static final String UP1 = "decoder_up1";
  public static final String UP2 = "decoder_up2";
  public static final String ACTIVATION = "decoder_activation";
  /** Upsampling factor from the dense layer's grid to the image. */
  public static final int SCALE = 4;

  public ConvDecoder {
    widths = List.copyOf(widths);
    if (widths.size() != 2 || widths.stream().anyMatch(w -> w < 1 || w > 4096)) {
      throw new IllegalArgumentException("decoder widths " + widths + " are invalid: must be two channel counts in 1..4096");
    }
  }

  /** {@code [64, 32]}. */
  public static ConvDecoder defaults() {
    return new ConvDecoder(List.of(64, 32));
  }

  /**
   * Checks that the decoder can produce images of {@code shape}.
   *
   * @param method for the message
   * @throws IllegalArgumentException if the height or width is not divisible by {@value #SCALE}
   */
  public static void check(InputShape shape, String method) {
    if (shape.height() % SCALE != 0 || shape.width() % SCALE != 0) {
      throw new IllegalArgumentException(method + " decodes images whose height and width are multiples of " + SCALE + "; this dataset's"
          + " are " + shape.height() + "x" + shape.width() + ": re-run prepare-images with --resize to a multiple of " + SCALE + " (e.g. 28, 32, 64)");
    }
  }

  /**
   * Adds the decoder from {@code code} and its output layer.
   *
   * @param prefix prefix of every layer name (the GAN's generator and a standalone decoder share the names)
   * @param code the vertex (or graph input) with the code {@code [N, D]}
   * @param output the output layer's name
   * @param loss the reconstruction loss on the flattened image
   * @param activation the output activation (sigmoid for [0, 1] pixels)
   * @return {@code output}
   */
  public String addTo(GraphBuilder graph, String prefix, String code, InputShape shape, String output, ILossFunction loss,
      Activation activation) {
    check(shape, "the decoder");
    int h0 = shape.height() / SCALE;
    int w0 = shape.width() / SCALE;
    int c0 = widths.get(0);
    graph.addLayer(prefix + DENSE, new DenseLayer.Builder().nOut((long) c0 * h0 * w0).activation(Activation.RELU)
        .weightInit(WeightInit.RELU).build(), code);
    graph.addLayer(prefix + UP1, upsample(widths.get(1), Activation.RELU, WeightInit.RELU), prefix + DENSE);
    graph.inputPreProcessor(prefix + UP1, new FeedForwardToCnnPreProcessor(h0, w0, c0));
    graph.addLayer(prefix + UP2, upsample(shape.channels(), Activation.IDENTITY, WeightInit.XAVIER), prefix + UP1);
    // The activation as a layer of its own, the loss layer's identity: DL4J's losses run the output activation's backprop
    // in place on the loss layer's input (LossMSE, LossBinaryXENT), so with a sigmoid there the score reported after a
    // training step was that of the overwritten input; an ActivationLayer backpropagates on a copy.
    graph.addLayer(prefix + ACTIVATION, new ActivationLayer.Builder().activation(activation).build(), prefix + UP2);
    graph.addLayer(output, new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(), prefix + ACTIVATION);
    graph.inputPreProcessor(output, new CnnToFeedForwardPreProcessor(shape.height(), shape.width(), shape.channels()));
    return output;
  }

  private static Deconvolution2D upsample(int channels, Activation activation, WeightInit init) {
    return new Deconvolution2D.Builder().nOut(channels).kernelSize(4, 4).stride(2, 2).convolutionMode(ConvolutionMode.Same)
        .activation(activation).weightInit(init).build();
  }

  /**
   * The shape of the images a graph's decoder produces, read from its output layer {@code output}.
   *
   * @throws IllegalArgumentException if {@code output} is not a decoder's output layer
   */
  public static InputShape imageShape(ComputationGraph graph, String output) {
    if (graph.getConfiguration().getVertices().get(output) instanceof LayerVertex v
        && v.getPreProcessor() instanceof CnnToFeedForwardPreProcessor p) {
      return new InputShape((int) p.getNumChannels(), (int) p.getInputHeight(), (int) p.getInputWidth());
    }
    throw new IllegalArgumentException("'" + output + "' is not the output layer of a decoder in this graph");
  }

  /** {@code images [N, C, H, W]} as the decoder's labels {@code [N, C*H*W]}, row-major (a copy). */
  public static INDArray flatten(INDArray images) {
    return images.dup('c').reshape('c', images.size(0), images.length() / images.size(0));
  }

  /** The decoder's output {@code [N, C*H*W]} as images {@code [N, C, H, W]}. */
  public static INDArray unflatten(INDArray output, InputShape shape) {
    return output.dup('c').reshape('c', output.size(0), shape.channels(), shape.height(), shape.width());
  }
}

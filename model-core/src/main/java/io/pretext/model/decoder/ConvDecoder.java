package io.pretext.model.decoder;

import io.pretext.model.InputShape;
import io.pretext.model.layers.FusedBatchNorm;
import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A convolutional image decoder, from a code vector back to an image: the shape of DCGAN's generator (Radford et al.
 * 2016), used by the autoencoder and the VAE without batch norm and, with it, as a GAN's generator.
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
  /** Batch norm (with the ReLU) after the dense layer and after the first transposed convolution, DCGAN's generator's. */
  public static final String DENSE_BN = "decoder_dense_bn";
  public static final String UP1_BN = "decoder_up1_bn";
  /** The layers that hold the decoder's parameters, in order (unprefixed; the activation layer has none). */
  public static final List<String> PARAMETER_LAYERS = List.of(DENSE, UP1, UP2);
  /** The same with batch norm ({@link #addImage(GraphBuilder, String, String, InputShape, Activation, boolean)}). */
  public static final List<String> PARAMETER_LAYERS_BN = List.of(DENSE, DENSE_BN, UP1, UP1_BN, UP2);
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
    String image = addImage(graph, prefix, code, shape, activation);
    graph.addLayer(output, new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(), image);
    graph.inputPreProcessor(output, new CnnToFeedForwardPreProcessor(shape.height(), shape.width(), shape.channels()));
    return output;
  }

  /**
   * Adds the decoder from {@code code} up to its image, without an output layer: a GAN's generator, whose image is
   * the discriminator's input.
   *
   * @return the vertex {@code prefix + }{@value #ACTIVATION}, whose activations are the images {@code [N, C, H, W]}
   */
  public String addImage(GraphBuilder graph, String prefix, String code, InputShape shape, Activation activation) {
    return addImage(graph, prefix, code, shape, activation.getActivationFunction(), false);
  }

  /**
   * {@link #addImage(GraphBuilder, String, String, InputShape, Activation)}, with {@code batchNorm} a batch norm before
   * each ReLU (after the dense layer and the first transposed convolution; layers {@value #DENSE_BN},
   * {@value #UP1_BN}), as DCGAN's generator has: it keeps the pre-activations of the output in range.
   */
  public String addImage(GraphBuilder graph, String prefix, String code, InputShape shape, Activation activation, boolean batchNorm) {
    return addImage(graph, prefix, code, shape, activation.getActivationFunction(), batchNorm);
  }

  private String addImage(GraphBuilder graph, String prefix, String code, InputShape shape, IActivation activation, boolean batchNorm) {
    check(shape, "the decoder");
    int h0 = shape.height() / SCALE;
    int w0 = shape.width() / SCALE;
    int c0 = widths.get(0);
    Activation hidden = batchNorm ? Activation.IDENTITY : Activation.RELU;
    graph.addLayer(prefix + DENSE, new DenseLayer.Builder().nOut((long) c0 * h0 * w0).activation(hidden)
        .weightInit(WeightInit.RELU).build(), code);
    String dense = prefix + DENSE;
    if (batchNorm) {
      graph.addLayer(prefix + DENSE_BN, FusedBatchNorm.withRelu(), dense);
      dense = prefix + DENSE_BN;
    }
    graph.addLayer(prefix + UP1, upsample(widths.get(1), hidden, WeightInit.RELU), dense);
    graph.inputPreProcessor(prefix + UP1, new FeedForwardToCnnPreProcessor(h0, w0, c0));
    String up1 = prefix + UP1;
    if (batchNorm) {
      graph.addLayer(prefix + UP1_BN, FusedBatchNorm.withRelu(), up1);
      up1 = prefix + UP1_BN;
    }
    graph.addLayer(prefix + UP2, upsample(shape.channels(), Activation.IDENTITY, WeightInit.XAVIER), up1);
    // The activation as a layer of its own, the loss layer's identity: DL4J's losses run the output activation's backprop
    // in place on the loss layer's input (LossMSE, LossBinaryXENT), so with a sigmoid there the score reported after a
    // training step was that of the overwritten input; an ActivationLayer backpropagates on a copy.
    graph.addLayer(prefix + ACTIVATION, new ActivationLayer.Builder().activation(activation).build(), prefix + UP2);
    return prefix + ACTIVATION;
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

  /**
   * A graph of this decoder alone, {@code code [N, D] -> image [N, C, H, W]}, with the parameters of the decoder (layer
   * names unprefixed) that {@code trained} holds: to decode codes that did not come from an image (a VAE's prior, an
   * interpolation).
   *
   * @param output the trained graph's decoder output layer (its image shape is read from it)
   * @param codeWidth {@code D}
   */
  public ComputationGraph standalone(ComputationGraph trained, String output, int codeWidth) {
    ComputationGraph decoder = imageGraph("", codeWidth, imageShape(trained, output), trained.params().dataType(), activationOf(trained), false);
    for (String layer : PARAMETER_LAYERS) {
      decoder.getLayer(layer).setParams(trained.getLayer(layer).params().dup());
    }
    return decoder;
  }

  /**
   * A freshly initialised graph of this decoder alone: input {@code code [N, codeWidth]}, output the images
   * {@code prefix + }{@value #ACTIVATION} (see {@link #addImage(GraphBuilder, String, String, InputShape, Activation,
   * boolean)}); its parameters are the caller's to set.
   */
  public ComputationGraph imageGraph(String prefix, int codeWidth, InputShape shape, DataType type, IActivation activation,
      boolean batchNorm) {
    GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(type).graphBuilder()
        .addInputs("code").setInputTypes(InputType.feedForward(codeWidth));
    String image = addImage(b, prefix, "code", shape, activation, batchNorm);
    ComputationGraph decoder = new ComputationGraph(b.setOutputs(image).build());
    decoder.init();
    return decoder;
  }

  private static IActivation activationOf(ComputationGraph trained) {
    if (trained.getLayer(ACTIVATION) != null && trained.getLayer(ACTIVATION).conf().getLayer() instanceof ActivationLayer a) {
      return a.getActivationFn();
    }
    throw new IllegalArgumentException("the graph has no decoder activation layer '" + ACTIVATION + "'");
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

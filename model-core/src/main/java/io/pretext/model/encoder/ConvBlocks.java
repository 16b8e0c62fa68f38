package io.pretext.model.encoder;

import io.pretext.model.layers.ChannelsLast;
import io.pretext.model.layers.FusedBatchNorm;
import io.pretext.model.layers.InputConvolution;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Building blocks shared by the encoders. Encoders take NCHW images and turn them into NHWC first
 * ({@link #channelsLast}); every block works in NHWC, which DL4J's oneDNN convolutions run without reordering
 * their input and output (docs/performance.md). Weights keep DL4J's {@code [out, in, kH, kW]} layout. Convolutions use explicit symmetric zero padding with
 * {@link ConvolutionMode#Truncate}, so output sizes equal PyTorch's {@code floor((in + 2*pad - k) / stride) + 1}
 * (DL4J's {@code Same} mode pads asymmetrically, TensorFlow-style). Convolutions have no bias: every one is followed
 * by batch norm, whose beta plays that role. Weights use He initialisation ({@link WeightInit#RELU}). Batch norm is
 * {@link FusedBatchNorm} (DL4J's defaults: eps 1e-5, decay 0.9 i.e. PyTorch momentum 0.1), with the ReLU fused in
 * where one follows.
 */
final class ConvBlocks {

  private ConvBlocks() {
  }

  /** {@code k x k} convolution, no bias, identity activation; returns {@code name}. nIn is inferred if {@code nIn <= 0}. */
  static String conv(GraphBuilder g, String name, String input, int nIn, int nOut, int k, int stride, int pad) {
    g.addLayer(name, convBuilder(nIn, nOut, k, stride, pad).build(), input);
    return name;
  }

  private static ConvolutionLayer.Builder convBuilder(int nIn, int nOut, int k, int stride, int pad) {
    ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(k, k)
        .stride(stride, stride)
        .padding(pad, pad)
        .convolutionMode(ConvolutionMode.Truncate)
        .dataFormat(CNN2DFormat.NHWC)
        .nOut(nOut)
        .hasBias(false)
        .weightInit(WeightInit.RELU)
        .activation(Activation.IDENTITY);
    if (nIn > 0) {
      b.nIn(nIn);
    }
    return b;
  }

  /** ReLU as its own layer (DL4J's BatchNormalization layer applies no activation); returns {@code name}. */
  static String relu(GraphBuilder g, String name, String input) {
    g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
    return name;
  }

  /**
   * conv -> BN -> ReLU; vertices {@code name} (the convolution) and {@code name_bn} (batch norm and ReLU in one
   * {@link FusedBatchNorm} layer); returns {@code name_bn}.
   */
  static String convBnRelu(GraphBuilder g, String name, String input, int nIn, int nOut, int k, int stride,
               int pad) {
    conv(g, name, input, nIn, nOut, k, stride, pad);
    g.addLayer(name + "_bn", FusedBatchNorm.withRelu(), name);
    return name + "_bn";
  }

  /**
   * The encoder's first conv -> BN -> ReLU, on the (NHWC) input: like {@link #convBnRelu} but the convolution is an
   * {@link InputConvolution}, whose backward pass skips the gradient with respect to the data.
   */
  static String stemConvBnRelu(GraphBuilder g, String name, String input, int nIn, int nOut, int k, int stride,
                               int pad) {
    g.addLayer(name, new InputConvolution(convBuilder(nIn, nOut, k, stride, pad)), input);
    g.addLayer(name + "_bn", FusedBatchNorm.withRelu(), name);
    return name + "_bn";
  }

  /** conv -> BN (no activation, a {@link FusedBatchNorm} without ReLU); returns the BN vertex {@code name_bn}. */
  static String convBn(GraphBuilder g, String name, String input, int nOut, int k, int stride, int pad) {
    conv(g, name, input, 0, nOut, k, stride, pad);
    g.addLayer(name + "_bn", FusedBatchNorm.withoutActivation(), name);
    return name + "_bn";
  }

  /** {@code k x k} max pooling with symmetric padding; returns {@code name}. */
  static String maxPool(GraphBuilder g, String name, String input, int k, int stride, int pad) {
    g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.MAX)
        .kernelSize(k, k).stride(stride, stride).padding(pad, pad)
        .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NHWC).build(), input);
    return name;
  }

  /** Global average pooling over H and W: {@code [N, H, W, C] -> [N, C]}; returns {@code name}. */
  static String globalAvgPool(GraphBuilder g, String name, String input) {
    g.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(1, 2)
        .collapseDimensions(true).build(), input);
    return name;
  }

  /** The encoder's NCHW input as NHWC ({@link ChannelsLast}), the layout every later block uses; returns {@code name}. */
  static String channelsLast(GraphBuilder g, String name, String input) {
    g.addVertex(name, new ChannelsLast(), input);
    return name;
  }
}

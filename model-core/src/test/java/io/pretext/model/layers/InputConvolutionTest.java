package io.pretext.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link InputConvolution} against DL4J's {@code ConvolutionLayer} as the first layer of the same network, same
 * parameters, same data: loss, every gradient (its weight and bias gradients come from its own matrix product, the
 * rest of the network sees the same values) and parameters after Adam steps, in DOUBLE (to 1e-9) and FLOAT (the
 * tolerances of OneDnnHelpersTest), NCHW and NHWC, with and without bias, stride 1 and 2, 1 and 3 input channels.
 * It returns no input gradient. The double-precision gradient check is in {@link FusedBatchNormGradientCheckTest}.
 */
class InputConvolutionTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(DataType.DOUBLE, CNN2DFormat.NHWC, 1, 1, false, 1e-9, 1e-9, 1e-9),
        Arguments.of(DataType.DOUBLE, CNN2DFormat.NCHW, 3, 2, true, 1e-9, 1e-9, 1e-9),
        Arguments.of(DataType.DOUBLE, CNN2DFormat.NHWC, 3, 2, true, 1e-9, 1e-9, 1e-9),
        Arguments.of(DataType.FLOAT, CNN2DFormat.NHWC, 1, 1, false, 1e-5, 2e-3, 1e-4),
        Arguments.of(DataType.FLOAT, CNN2DFormat.NHWC, 3, 2, true, 1e-5, 2e-3, 1e-4));
  }

  private static ComputationGraphConfiguration graph(boolean input, DataType type, CNN2DFormat format, int channels,
                                                     int stride, boolean bias) {
    ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(3, 3).stride(stride, stride).padding(1, 1)
        .convolutionMode(ConvolutionMode.Truncate).dataFormat(format).nOut(6).hasBias(bias)
        .activation(Activation.IDENTITY);
    return new NeuralNetConfiguration.Builder().seed(5).dataType(type).updater(new Adam(1e-2)).graphBuilder()
        .addInputs("in").setInputTypes(InputType.convolutional(9, 10, channels, format))
        .addLayer("conv", input ? new InputConvolution(conv) : conv.build(), "in")
        // batch norm would cancel the bias (its gradient is rounding noise, which Adam scales up): ReLU alone then
        .addLayer("bn", bias ? new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
            .activation(Activation.RELU).build() : FusedBatchNorm.withRelu(), "conv")
        .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG)
            .poolingDimensions(format == CNN2DFormat.NCHW ? new int[] {2, 3} : new int[] {1, 2}).build(), "bn")
        .addLayer("dense", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "pool")
        .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
            .build(), "dense")
        .setOutputs("loss").build();
  }

  @ParameterizedTest(name = "{0} {1} C={2} stride={3} bias={4}")
  @MethodSource("cases")
  void matchesDl4jConvolution(DataType type, CNN2DFormat format, int channels, int stride, boolean bias,
                              double lossTol, double gradTol, double paramTol) {
    ComputationGraph reference = FusedBatchNormTest.init(graph(false, type, format, channels, stride, bias), true);
    ComputationGraph fast = FusedBatchNormTest.init(graph(true, type, format, channels, stride, bias), true);
    assertInstanceOf(InputConvolutionLayer.class, fast.getLayer("conv"));
    fast.setParams(reference.params().dup());
    Nd4j.getRandom().setSeed(7);
    long[] shape = format == CNN2DFormat.NCHW ? new long[] {5, channels, 9, 10} : new long[] {5, 9, 10, channels};
    INDArray x = Nd4j.rand(type, shape);
    INDArray y = Nd4j.rand(type, 5, 3);
    for (ComputationGraph g : new ComputationGraph[] {reference, fast}) {
      g.setInputs(x);
      g.setLabels(y);
      g.computeGradientAndScore();
    }
    assertEquals(reference.score(), fast.score(), lossTol * Math.abs(reference.score()));
    Map<String, INDArray> gr = reference.gradient().gradientForVariable();
    Map<String, INDArray> gf = fast.gradient().gradientForVariable();
    assertEquals(gr.keySet(), gf.keySet());
    assertTrue(gf.containsKey("conv_W") && (bias == gf.containsKey("conv_b")), gf.keySet().toString());
    for (String k : gr.keySet()) {
      assertClose("gradient " + k, gr.get(k), gf.get(k), gradTol);
    }
    org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(x, y);
    for (int i = 0; i < 3; i++) {
      reference.fit(batch);
      fast.fit(batch);
    }
    assertClose("parameters after 3 Adam steps", reference.params(), fast.params(), paramTol);
  }

  @Test
  void returnsNoInputGradientButDl4jDoes() {
    ComputationGraph reference = FusedBatchNormTest.init(graph(false, DataType.FLOAT, CNN2DFormat.NHWC, 1, 1, false),
        true);
    ComputationGraph fast = FusedBatchNormTest.init(graph(true, DataType.FLOAT, CNN2DFormat.NHWC, 1, 1, false), true);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 9, 10, 1);
    INDArray eps = Nd4j.rand(DataType.FLOAT, 2, 9, 10, 6);
    LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
    reference.initGradientsView();
    fast.initGradientsView();
    reference.getLayer("conv").setInput(x, noWs);
    fast.getLayer("conv").setInput(x, noWs);
    assertNotNull(reference.getLayer("conv").backpropGradient(eps, noWs).getSecond());
    assertNull(fast.getLayer("conv").backpropGradient(eps, noWs).getSecond());
  }

  /**
   * A ReLU activation is not handled by the weight-only path: DL4J's own backward pass runs, so the input gradient and
   * the weight gradients are exactly those of DL4J's {@code ConvolutionLayer} with the same parameters. Compared on
   * ND4J's path: with the oneDNN helpers, DL4J's own layer returns an input gradient of which some entries are
   * uninitialised memory (values like 1e24 and 1e-41 in the second example, different between two identical layers), so
   * only its presence and shape are checked there.
   */
  @Test
  void otherConfigurationsFallBackToDl4jsBackwardPass() {
    ConvolutionLayer.Builder relu = new ConvolutionLayer.Builder(3, 3).padding(1, 1).nIn(1).nOut(2)
        .activation(Activation.RELU).dataFormat(CNN2DFormat.NHWC);
    ComputationGraphConfiguration conf = reluGraph(new InputConvolution(relu));
    assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
    ComputationGraph g = FusedBatchNormTest.init(conf, false);
    ComputationGraph reference = FusedBatchNormTest.init(reluGraph(relu.build()), false);
    g.setParams(reference.params().dup());
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4, 4, 1);
    INDArray eps = Nd4j.rand(DataType.FLOAT, 2, 4, 4, 2);
    LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
    Map<String, INDArray> gradients = new TreeMap<>();
    Map<String, INDArray> referenceGradients = new TreeMap<>();
    INDArray[] inputGradients = new INDArray[2];
    for (ComputationGraph net : List.of(g, reference)) {
      net.initGradientsView();
      net.getLayer("conv").setInput(x.dup(), noWs);
      net.getLayer("conv").activate(true, noWs);
      var result = net.getLayer("conv").backpropGradient(eps.dup(), noWs);
      result.getFirst().gradientForVariable().forEach((k, v) -> (net == g ? gradients : referenceGradients).put(k, v.dup()));
      inputGradients[net == g ? 0 : 1] = result.getSecond().dup();
    }
    assertNotNull(inputGradients[0], "DL4J's backward pass returns an input gradient");
    assertEquals(inputGradients[1], inputGradients[0]);
    assertEquals(referenceGradients.keySet(), gradients.keySet());
    referenceGradients.forEach((k, v) -> assertEquals(v, gradients.get(k), k));

    ComputationGraph withHelpers = FusedBatchNormTest.init(conf, true);
    withHelpers.initGradientsView();
    withHelpers.getLayer("conv").setInput(x.dup(), noWs);
    withHelpers.getLayer("conv").activate(true, noWs);
    INDArray inputGradient = withHelpers.getLayer("conv").backpropGradient(eps.dup(), noWs).getSecond();
    assertNotNull(inputGradient, "DL4J's backward pass returns an input gradient with the oneDNN helpers too");
    assertArrayEquals(x.shape(), inputGradient.shape());
  }

  private static ComputationGraphConfiguration reluGraph(Layer conv) {
    return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).graphBuilder()
        .addInputs("in").setInputTypes(InputType.convolutional(4, 4, 1, CNN2DFormat.NHWC))
        .addLayer("conv", conv, "in")
        .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE).build(), "conv")
        .setOutputs("loss").build();
  }

  private static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
    double scale = Math.max(Transforms.abs(expected).maxNumber().doubleValue(), 1e-3);
    double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
    assertTrue(diff <= tol * scale, what + ": max |diff| = " + diff + " > " + tol + " * " + scale);
  }
}

package io.pretext.model.layers;

import static io.pretext.model.testing.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.backend.DirectOneDnn;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.loss.NtXentLoss;
import io.pretext.model.optim.OptimizerConfig;
import io.pretext.model.testing.ArrayAssertions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link FusedBatchNorm} against DL4J's reference layers: the same network built with DL4J's built-in
 * {@code BatchNormalization} followed by an {@code ActivationLayer(ReLU)} where the fused layer has {@code relu}, the
 * same parameters, the same data. Compared in DOUBLE (to 1e-9: only summation order differs) and FLOAT (with the
 * tolerances of the oneDNN-vs-built-in test, {@code OneDnnHelpersTest}): training- and inference-mode outputs, loss,
 * every gradient, and parameters, BN running mean and log10(std) after AdamW steps. Plus JSON and ModelSerializer
 * round trips and the refusals; {@link FusedBatchNormGradientCheckTest} has the gradient check.
 *
 * <p>The reference side runs with DL4J's layer helpers disabled (DL4J's Java batch norm, the reference); the fused
 * side with them allowed, so in FLOAT on a oneDNN build its convolutions run on oneDNN, as in training.
 */
class FusedBatchNormTest {

  /** The SimCLR shape of the comparison: 3 conv blocks, global pooling, 2-layer head, NT-Xent. */
  private static ComputationGraphConfiguration simclrLike(boolean fused, DataType type, boolean useLogStd,
                                                          long seed, CNN2DFormat format) {
    OptimizerConfig opt = OptimizerConfig.adamW(1e-2, 1e-2, 0, 10);
    GraphBuilder g = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(type)
        .updater(opt.updater())
        .regularization(opt.weightRegularization())
        .graphBuilder()
        .addInputs("in")
        .setInputTypes(InputType.convolutional(12, 12, 2, format));
    String x = block(g, "c1", "in", 8, 1, fused, true, useLogStd, format);
    x = block(g, "c2", x, 16, 2, fused, true, useLogStd, format);
    x = block(g, "c3", x, 16, 2, fused, false, useLogStd, format); // BN without activation, as before a residual add
    g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true)
        .poolingDimensions(format == CNN2DFormat.NCHW ? new int[] {2, 3} : new int[] {1, 2}).build(), x);
    g.addLayer("h1", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).weightInit(WeightInit.RELU)
        .build(), "pool");
    g.addLayer("h2", new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build(), "h1");
    g.addLayer("loss", new LossLayer.Builder(new NtXentLoss(0.5)).activation(Activation.IDENTITY).build(), "h2");
    return g.setOutputs("loss").build();
  }

  private static String block(GraphBuilder g, String name, String in, int nOut, int stride, boolean fused,
                              boolean relu, boolean useLogStd, CNN2DFormat format) {
    g.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(stride, stride).padding(1, 1).dataFormat(format)
        .convolutionMode(ConvolutionMode.Truncate).nOut(nOut).hasBias(false).weightInit(WeightInit.RELU)
        .activation(Activation.IDENTITY).build(), in);
    if (fused) {
      FusedBatchNorm bn = new FusedBatchNorm(relu);
      bn.setUseLogStd(useLogStd);
      g.addLayer(name + "_bn", bn, name);
      return name + "_bn";
    }
    g.addLayer(name + "_bn", new BatchNormalization.Builder().useLogStd(useLogStd).dataFormat(format).build(), name);
    if (!relu) {
      return name + "_bn";
    }
    g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "_bn");
    return name + "_relu";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(DataType.DOUBLE, CNN2DFormat.NHWC, true, 1e-9, 1e-9, 1e-9, 1e-9),
        Arguments.of(DataType.DOUBLE, CNN2DFormat.NCHW, false, 1e-9, 1e-9, 1e-9, 1e-9),
        // the tolerances of OneDnnHelpersTest: outputs, loss, gradients (of the tensor's max), parameters
        Arguments.of(DataType.FLOAT, CNN2DFormat.NHWC, true, 1e-4, 1e-5, 2e-3, 1e-4),
        Arguments.of(DataType.FLOAT, CNN2DFormat.NCHW, true, 1e-4, 1e-5, 2e-3, 1e-4),
        Arguments.of(DataType.FLOAT, CNN2DFormat.NHWC, false, 1e-4, 1e-5, 2e-3, 1e-4));
  }

  @ParameterizedTest(name = "{0}, {1}, useLogStd={2}")
  @MethodSource("cases")
  void matchesDl4jBatchNormAndReluForwardGradientsAndTraining(DataType type, CNN2DFormat format, boolean useLogStd,
                                                              double outTol, double lossTol, double gradTol,
                                                              double paramTol) {
    ComputationGraph reference = init(simclrLike(false, type, useLogStd, 11, format), false);
    ComputationGraph fused = init(simclrLike(true, type, useLogStd, 11, format), true);
    assertEquals(reference.numParams(), fused.numParams());
    for (String bn : new String[] {"c1_bn", "c2_bn", "c3_bn"}) {
      assertInstanceOf(FusedBatchNormLayer.class, fused.getLayer(bn));
      assertEquals(reference.getLayer(bn).paramTable().keySet(), fused.getLayer(bn).paramTable().keySet());
      // non-trivial gamma and beta, so that a swapped or missing term shows
      reference.getLayer(bn).getParam("gamma").assign(Nd4j.rand(type, 1, reference.getLayer(bn).getParam("gamma")
          .length()).addi(0.5));
      reference.getLayer(bn).getParam("beta").assign(Nd4j.rand(type, 1, reference.getLayer(bn).getParam("beta")
          .length()).subi(0.5));
    }
    copyParams(reference, fused);

    INDArray views = rand(5, type, image(16, format)).addi(0.2);
    INDArray labels = NtXentLoss.labelsFor(16, type);

    Map<String, INDArray> ref = reference.feedForward(views, true);
    Map<String, INDArray> fus = fused.feedForward(views, true);
    // FLOAT on the CPU runs oneDNN's batch norm directly (OneDnnBatchNormTest compares it with the ND4J path, which
    // runs here in DOUBLE); so this test compares both paths with DL4J's layers
    assertEquals(type == DataType.FLOAT && DirectOneDnn.available(),
        ((FusedBatchNormLayer) fused.getLayer("c1_bn")).lastRanOnOneDnn(), "which batch-norm path ran");
    assertClose("training-mode output", ref.get("h2"), fus.get("h2"), outTol);
    for (String v : new String[] {"c1", "c2", "c3"}) {
      assertClose("training-mode activation of " + v, ref.get(v.equals("c3") ? "c3_bn" : v + "_relu"),
          fus.get(v + "_bn"), outTol);
    }

    reference.setInputs(views);
    reference.setLabels(labels);
    reference.computeGradientAndScore();
    fused.setInputs(views);
    fused.setLabels(labels);
    fused.computeGradientAndScore();
    assertEquals(reference.score(), fused.score(), lossTol * Math.abs(reference.score()), "NT-Xent loss");
    Map<String, INDArray> gr = reference.gradient().gradientForVariable();
    Map<String, INDArray> gf = fused.gradient().gradientForVariable();
    assertEquals(gr.keySet(), gf.keySet());
    for (String k : gr.keySet()) {
      assertClose("gradient " + k, gr.get(k), gf.get(k), gradTol);
    }

    org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(views, labels);
    for (int step = 0; step < 3; step++) {
      reference.fit(batch);
      fused.fit(batch);
    }
    for (String layer : new String[] {"c1", "c1_bn", "c2", "c2_bn", "c3", "c3_bn", "h1", "h2"}) {
      Map<String, INDArray> pr = reference.getLayer(layer).paramTable();
      for (String k : pr.keySet()) {
        assertClose("after 3 AdamW steps, " + layer + "." + k, pr.get(k), fused.getLayer(layer).getParam(k),
            paramTol);
      }
    }
    assertTrue(Transforms.abs(fused.getLayer("c1_bn").getParam("mean")).maxNumber().doubleValue() > 1e-3,
        "running mean moved away from its initial 0");
    INDArray other = rand(6, type, image(6, format));
    assertClose("inference-mode (running statistics) output", reference.outputSingle(other),
        fused.outputSingle(other), outTol);
    assertClose("inference-mode representation", reference.feedForward(other, false).get("pool"),
        fused.feedForward(other, false).get("pool"), outTol);
  }

  @Test
  void channelsLastVertexPermutesAndBackpropagates() {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
        .updater(new NoOp()).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(3, 4, 2))
        .addVertex("nhwc", new ChannelsLast(), "in")
        .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
            .build(), "nhwc")
        .setOutputs("loss").build();
    assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
    ComputationGraph g = init(conf, true);
    INDArray x = rand(1, DataType.DOUBLE, 5, 2, 3, 4);
    INDArray y = g.feedForward(x, false).get("nhwc");
    assertEquals(java.util.Arrays.toString(new long[] {5, 3, 4, 2}), java.util.Arrays.toString(y.shape()));
    assertEquals(x.getDouble(4, 1, 2, 3), y.getDouble(4, 2, 3, 1), 0.0);
    assertEquals(x.permute(0, 2, 3, 1), y);
    INDArray eps = rand(2, DataType.DOUBLE, 5, 3, 4, 2);
    org.deeplearning4j.nn.graph.vertex.GraphVertex v = g.getVertex("nhwc");
    v.setInputs(x);
    v.setEpsilon(eps);
    INDArray back = v.doBackward(false, LayerWorkspaceMgr.noWorkspaces()).getSecond()[0];
    assertEquals(eps.permute(0, 3, 1, 2), back);
    InputType nhwcIn = InputType.convolutional(3, 4, 2, CNN2DFormat.NHWC);
    assertThrows(org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException.class,
        () -> new ChannelsLast().getOutputType(0, nhwcIn));
  }

  @Test
  void rankTwoInputMatchesDl4j() {
    for (boolean relu : new boolean[] {true, false}) {
      ComputationGraphConfiguration.GraphBuilder ref = denseGraph();
      ref.addLayer("bn", new BatchNormalization.Builder().build(), "d");
      ref.addLayer("act", new ActivationLayer.Builder().activation(relu ? Activation.RELU : Activation.IDENTITY)
          .build(), "bn");
      ref.addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
          .build(), "act");
      ComputationGraph reference = init(ref.setOutputs("out").build(), false);
      ComputationGraphConfiguration.GraphBuilder fus = denseGraph();
      fus.addLayer("bn", new FusedBatchNorm(relu), "d");
      fus.addLayer("act", new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), "bn");
      fus.addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
          .build(), "act");
      ComputationGraph fused = init(fus.setOutputs("out").build(), true);
      fused.setParams(reference.params());
      INDArray x = rand(2, DataType.DOUBLE, 7, 4);
      INDArray y = rand(3, DataType.DOUBLE, 7, 6);
      for (ComputationGraph g : new ComputationGraph[] {reference, fused}) {
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
      }
      assertEquals(reference.score(), fused.score(), 1e-12, "relu=" + relu);
      for (String k : reference.gradient().gradientForVariable().keySet()) {
        assertClose("relu=" + relu + ", gradient " + k, reference.gradient().getGradientFor(k),
            fused.gradient().getGradientFor(k), 1e-9);
      }
    }
  }

  private static ComputationGraphConfiguration.GraphBuilder denseGraph() {
    return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
        .graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(4))
        .addLayer("d", new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build(), "in");
  }

  @Test
  void configurationAndModelRoundTrips() throws IOException {
    ComputationGraphConfiguration conf = simclrLike(true, DataType.FLOAT, true, 4, CNN2DFormat.NHWC);
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed);
    assertEquals(conf, ComputationGraphConfiguration.fromYaml(conf.toYaml()));
    FusedBatchNorm c3 = (FusedBatchNorm) ((org.deeplearning4j.nn.conf.graph.LayerVertex) parsed.getVertices()
        .get("c3_bn")).getLayerConf().getLayer();
    assertEquals(false, c3.isRelu(), "relu = false survives JSON");
    assertTrue(((FusedBatchNorm) ((org.deeplearning4j.nn.conf.graph.LayerVertex) parsed.getVertices().get("c1_bn"))
        .getLayerConf().getLayer()).isRelu());
    assertTrue(!new FusedBatchNorm(true).equals(new FusedBatchNorm(false)), "relu is part of equality");
    assertTrue(!new FusedBatchNorm(true).equals(new BatchNormalization()), "not equal to DL4J's layer");
    assertTrue(!new BatchNormalization().equals(new FusedBatchNorm(true)), "equality is symmetric");

    ComputationGraph g = init(conf, true);
    INDArray views = rand(8, DataType.FLOAT, image(8, CNN2DFormat.NHWC));
    g.fit(new org.nd4j.linalg.dataset.DataSet(views, NtXentLoss.labelsFor(8, DataType.FLOAT)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(g, bytes, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()),
        true);
    assertInstanceOf(FusedBatchNormLayer.class, restored.getLayer("c2_bn"));
    assertEquals(g.params(), restored.params());
    assertEquals(g.outputSingle(views), restored.outputSingle(views));
    assertEquals(LayerHelpers.FUSED, LayerHelpers.helpersByLayer(restored).get("c2_bn"));
  }

  @Test
  void refusesWhatItDoesNotImplement() {
    FusedBatchNorm locked = FusedBatchNorm.withRelu();
    locked.setLockGammaBeta(true);
    ComputationGraphConfiguration lockedConf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
        .setInputTypes(InputType.feedForward(3))
        .addLayer("bn", locked, "in")
        .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE).build(), "bn")
        .setOutputs("loss").build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> init(lockedConf, true));
    assertTrue(e.getMessage().contains("lockGammaBeta"), e.getMessage());

    ComputationGraph g = init(simclrLike(true, DataType.FLOAT, true, 1, CNN2DFormat.NCHW), true);
    org.deeplearning4j.nn.api.Layer bn = g.getLayer("c1_bn");
    LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
    bn.setInput(Nd4j.ones(DataType.FLOAT, 2, 8, 12, 12), noWs);
    IllegalStateException noForward = assertThrows(IllegalStateException.class,
        () -> bn.backpropGradient(Nd4j.ones(DataType.FLOAT, 2, 8, 12, 12), noWs));
    bn.setInput(Nd4j.ones(DataType.FLOAT, 2, 12, 12, 8), noWs);
    IllegalArgumentException wrongLayout = assertThrows(IllegalArgumentException.class,
        () -> bn.activate(true, noWs));
    assertTrue(wrongLayout.getMessage().contains("expected 8"), wrongLayout.getMessage());
    assertTrue(noForward.getMessage().contains("without a training-mode forward pass"), noForward.getMessage());
  }

  private static long[] image(long n, CNN2DFormat format) {
    return format == CNN2DFormat.NCHW ? new long[] {n, 2, 12, 12} : new long[] {n, 12, 12, 2};
  }

  private static INDArray rand(long seed, DataType type, long... shape) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(type, shape);
  }

  private static void copyParams(ComputationGraph from, ComputationGraph to) {
    for (org.deeplearning4j.nn.api.Layer layer : from.getLayers()) {
      String name = layer.conf().getLayer().getLayerName();
      for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
        to.getLayer(name).getParam(p.getKey()).assign(p.getValue());
      }
    }
  }

  static ComputationGraph init(ComputationGraphConfiguration conf, boolean helpers) {
    return withHelpers(helpers, () -> {
      ComputationGraph g = new ComputationGraph(conf.clone());
      g.init();
      return g;
    });
  }

  private static <T> T withHelpers(boolean helpers, Supplier<T> action) {
    return ArrayAssertions.withProperty(LayerHelpers.DISABLE_PROPERTY, Boolean.toString(!helpers), action);
  }
}

package io.pretext.model.layers;

import static io.pretext.model.testing.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pretext.model.backend.DirectOneDnn;
import io.pretext.model.testing.ArrayAssertions;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link FusedBatchNormLayer}'s direct oneDNN kernel ({@link OneDnnBatchNorm}) against its ND4J path, which
 * {@link FusedBatchNormTest} checks against DL4J's layers in DOUBLE: the same layer and data in FLOAT, once with
 * {@value DirectOneDnn#DISABLE_PROPERTY} and once without; training output, loss, gradients of gamma, beta and the
 * input (through an MSE loss), the running-statistics updates, then inference output with the running statistics
 * after SGD steps; for NCHW, NHWC and {@code [N, C]} input, with and without the ReLU, and across a minibatch-size
 * change (a partial last batch rebuilds the kernel). Runs where the presets load (skipped elsewhere).
 */
class OneDnnBatchNormTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("NHWC", true, false), Arguments.of("NHWC", false, true), Arguments.of("NCHW", true, true),
        Arguments.of("NCHW", false, false), Arguments.of("NC", true, false), Arguments.of("NC", false, true));
  }

  @ParameterizedTest(name = "{0}, relu={1}, useLogStd={2}")
  @MethodSource("cases")
  void directKernelMatchesNd4jPath(String layout, boolean relu, boolean useLogStd) {
    assumeTrue(DirectOneDnn.available(), "oneDNN presets not loadable here");
    ComputationGraph direct = graph(layout, relu, useLogStd);
    ComputationGraph nd4j = graph(layout, relu, useLogStd);
    Nd4j.getRandom().setSeed(7);
    INDArray gamma = Nd4j.rand(DataType.FLOAT, 1, 6).addi(0.5);
    INDArray beta = Nd4j.rand(DataType.FLOAT, 1, 6).subi(0.5);
    for (ComputationGraph g : new ComputationGraph[] {direct, nd4j}) {
      g.getLayer("bn").getParam("gamma").assign(gamma);
      g.getLayer("bn").getParam("beta").assign(beta);
    }
    for (int n : new int[] {16, 16, 9}) { // the 9 rebuilds the kernel for a new shape
      // a non-zero mean well above the spread, where E[x^2] - mean^2 would lose digits
      INDArray x = Nd4j.rand(DataType.FLOAT, shape(layout, n)).muli(2).addi(3);
      INDArray y = Nd4j.rand(DataType.FLOAT, shape(layout, n));
      Map<String, INDArray> gd = step(direct, x, y, false);
      Map<String, INDArray> gn = step(nd4j, x, y, true);
      assertTrue(((FusedBatchNormLayer) direct.getLayer("bn")).lastRanOnOneDnn(), "direct graph ran on oneDNN");
      assertFalse(((FusedBatchNormLayer) nd4j.getLayer("bn")).lastRanOnOneDnn(), "disabled graph ran on ND4J");
      assertEquals(direct.score(), nd4j.score(), 1e-5 * Math.abs(nd4j.score()), "n=" + n + ": loss");
      assertEquals(gn.keySet(), gd.keySet());
      for (String k : gn.keySet()) {
        assertClose("n=" + n + ": gradient " + k, gn.get(k), gd.get(k), 1e-4);
      }
      assertClose("n=" + n + ": gradient of the input", inputGradient(nd4j, x, y, true),
          inputGradient(direct, x, y, false), 1e-4);
      direct.fit(new INDArray[] {x}, new INDArray[] {y});
      withDirect(false, () -> {
        nd4j.fit(new INDArray[] {x}, new INDArray[] {y});
        return null;
      });
      assertClose("n=" + n + ": parameters after an SGD step", nd4j.params(), direct.params(), 1e-5);
      INDArray other = Nd4j.rand(DataType.FLOAT, shape(layout, 5)).addi(3);
      assertClose("n=" + n + ": inference output", withDirect(false, () -> nd4j.outputSingle(other)),
          direct.outputSingle(other), 1e-5);
      assertTrue(((FusedBatchNormLayer) direct.getLayer("bn")).lastRanOnOneDnn(), "inference ran on oneDNN");
    }
  }

  private static Map<String, INDArray> step(ComputationGraph g, INDArray x, INDArray y, boolean disable) {
    return withDirect(!disable, () -> {
      g.setInputs(x);
      g.setLabels(y);
      g.computeGradientAndScore();
      Map<String, INDArray> copy = new java.util.TreeMap<>();
      g.gradient().gradientForVariable().forEach((k, v) -> copy.put(k, v.dup()));
      return copy;
    });
  }

  /** dLoss/dx through the batch norm, from DL4J's backward pass with external errors. */
  private static INDArray inputGradient(ComputationGraph g, INDArray x, INDArray y, boolean disable) {
    return withDirect(!disable, () -> {
      org.deeplearning4j.nn.api.Layer bn = g.getLayer("bn");
      org.deeplearning4j.nn.workspace.LayerWorkspaceMgr noWs =
          org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
      bn.setInput(x, noWs);
      INDArray out = bn.activate(true, noWs);
      INDArray eps = out.sub(y).muli(2.0 / out.length()); // MSE's gradient (mean over all values)
      return bn.backpropGradient(eps, noWs).getSecond().dup();
    });
  }

  private static ComputationGraph graph(String layout, boolean relu, boolean useLogStd) {
    InputType in = switch (layout) {
      case "NHWC" -> InputType.convolutional(5, 4, 6, CNN2DFormat.NHWC);
      case "NCHW" -> InputType.convolutional(5, 4, 6, CNN2DFormat.NCHW);
      default -> InputType.feedForward(6);
    };
    FusedBatchNorm bn = new FusedBatchNorm(relu);
    bn.setUseLogStd(useLogStd);
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
        .updater(new Sgd(0.1)).graphBuilder().addInputs("in").setInputTypes(in)
        .addLayer("bn", bn, "in")
        .addLayer("out", layout.equals("NC")
            ? new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build()
            : new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .format(CNN2DFormat.valueOf(layout)).build(), "bn")
        .setOutputs("out").build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }

  private static long[] shape(String layout, long n) {
    return switch (layout) {
      case "NHWC" -> new long[] {n, 5, 4, 6};
      case "NCHW" -> new long[] {n, 6, 5, 4};
      default -> new long[] {n, 6};
    };
  }

  private static <T> T withDirect(boolean direct, Supplier<T> action) {
    return ArrayAssertions.withProperty(DirectOneDnn.DISABLE_PROPERTY, Boolean.toString(!direct), action);
  }
}

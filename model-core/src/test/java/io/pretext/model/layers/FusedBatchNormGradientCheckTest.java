package io.pretext.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.loss.DoublePrecision;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Gradient check of {@link FusedBatchNorm} and {@link InputConvolution} set up as DL4J's own ({@code GradientCheckUtil}, double precision, NoOp
 * updater, fixed seed, epsilon 1e-6, max relative error 1e-5, min absolute error 1e-8, JSON round trip first), through
 * two fused layers, one with and one without ReLU, in NCHW and NHWC, minibatch 3. The first convolution is an
 * {@link InputConvolution} (with a bias), so its weight-only backward pass is checked too.
 */
@ExtendWith(DoublePrecision.class)
class FusedBatchNormGradientCheckTest {

  /**
   * DL4J's gradient check (double, NoOp updater, epsilon 1e-6, max relative error 1e-5, min absolute error 1e-8)
   * through two fused layers, with and without ReLU. The running statistics are not gradients (their "gradient" is
   * the moving-average step), so they are excluded, as in DL4J's own batch-norm gradient checks.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void gradientCheck(CNN2DFormat format) {
    int minibatch = 3;
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(12345).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
        .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2, format))
        .addLayer("conv1", new InputConvolution(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(3)
            .hasBias(true).dataFormat(format).activation(Activation.IDENTITY)), "in")
        .addLayer("bn1", FusedBatchNorm.withRelu(), "conv1")
        .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(4).hasBias(false)
            .dataFormat(format)
            .activation(Activation.IDENTITY).build(), "bn1")
        .addLayer("bn2", FusedBatchNorm.withoutActivation(), "conv2")
        .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG)
            .poolingDimensions(format == CNN2DFormat.NCHW ? new int[] {2, 3} : new int[] {1, 2}).build(), "bn2")
        .addLayer("out", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "pool")
        .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
            .build(), "out")
        .setOutputs("loss").build();
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed);
    ComputationGraph graph = FusedBatchNormTest.init(parsed, true);
    Nd4j.getRandom().setSeed(12345);
    long[] shape = format == CNN2DFormat.NCHW ? new long[] {minibatch, 2, 5, 5} : new long[] {minibatch, 5, 5, 2};
    INDArray input = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(2);
    INDArray labels = Nd4j.rand(DataType.DOUBLE, minibatch, 3);
    Set<String> runningStats = new HashSet<>(List.of("bn1_mean", "bn1_log10stdev", "bn2_mean",
        "bn2_log10stdev"));
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(graph)
        .inputs(new INDArray[] {input})
        .labels(new INDArray[] {labels})
        .excludeParams(runningStats)
        .epsilon(1e-6)
        .maxRelError(1e-5)
        .minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
        .exitOnFirstError(false));
    assertTrue(ok, "gradient check failed, " + format);
  }

  static Stream<CNN2DFormat> formats() {
    return Stream.of(CNN2DFormat.NCHW, CNN2DFormat.NHWC);
  }
}

package io.pretext.model.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Gradient checks of {@link NtXentLoss} inside a DL4J graph ({@code Dense(tanh) -> LossLayer(NT-Xent)}), set up as
 * DL4J's own {@code LossFunctionGradientCheck}: double precision, NoOp updater, fixed seed, epsilon 1e-6, max relative
 * error 1e-5, min absolute error 1e-8, and the JSON round trip of the configuration first.
 *
 * <p>With one pair (2 rows) the NT-Xent denominator holds only the positive, so the loss is identically 0 and every
 * gradient is 0: the check then confirms the analytic gradient is exactly 0 too. Two and three pairs are the real checks.
 */
@ExtendWith(DoublePrecision.class)
class NtXentGradientCheckTest {

  private static final long SEED = 12345;
  static Stream<Arguments> cases() {
    return Stream.of(1, 2, 3).flatMap(pairs -> Stream.of(0.1, 0.5, 1.0).map(t -> Arguments.of(pairs, t)));
  }

  @ParameterizedTest(name = "pairs={0} (rows={0}*2), T={1}")
  @MethodSource("cases")
  void gradientsMatchNumericalThroughGraph(int pairs, double temperature) {
    int nIn = 5;
    int embedding = 4;
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(SEED)
        .dataType(DataType.DOUBLE)
        .updater(new NoOp())
        .weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("in")
        .addLayer("dense", new DenseLayer.Builder().nIn(nIn).nOut(embedding)
            .activation(Activation.TANH).build(), "in")
        .addLayer("loss", new LossLayer.Builder(new NtXentLoss(temperature))
            .activation(Activation.IDENTITY).build(), "dense")
        .setOutputs("loss")
        .build();

    // JSON round trip first, as DL4J's LossFunctionGradientCheck does; the checked network uses the parsed config.
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed);
    ComputationGraph graph = new ComputationGraph(parsed);
    graph.init();

    Nd4j.getRandom().setSeed(SEED);
    INDArray input = Nd4j.rand(DataType.DOUBLE, 2L * pairs, nIn).subi(0.5).muli(2);
    INDArray labels = NtXentLoss.labelsFor(2L * pairs, DataType.DOUBLE);

    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(graph)
        .inputs(new INDArray[] {input})
        .labels(new INDArray[] {labels})
        .epsilon(1e-6)
        .maxRelError(1e-5)
        .minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
        .exitOnFirstError(false));
    assertTrue(ok, "gradient check failed for pairs=" + pairs + ", T=" + temperature);
  }
}

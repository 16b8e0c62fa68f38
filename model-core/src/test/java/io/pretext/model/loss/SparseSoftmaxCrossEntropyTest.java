package io.pretext.model.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * {@link SparseSoftmaxCrossEntropy} against a loop implementation, closed forms, masks, refusals, and DL4J gradient
 * checks through a graph ({@code Dense -> LossLayer}) with 1 and 3 rows.
 */
@ExtendWith(DoublePrecision.class)
class SparseSoftmaxCrossEntropyTest {
  private static final SparseSoftmaxCrossEntropy LOSS = new SparseSoftmaxCrossEntropy();
  private static final ActivationIdentity IDENTITY = new ActivationIdentity();

  /** {@code -ln softmax(z)[y]} per row, computed naively in double. */
  static double[] reference(double[][] z, int[] y) {
    double[] out = new double[z.length];
    for (int m = 0; m < z.length; m++) {
      double sum = 0;
      for (double v : z[m]) {
        sum += Math.exp(v);
      }
      out[m] = -Math.log(Math.exp(z[m][y[m]]) / sum);
    }
    return out;
  }

  static INDArray labels(int... y) {
    INDArray l = Nd4j.create(DataType.DOUBLE, y.length, 1);
    for (int i = 0; i < y.length; i++) {
      l.putScalar(i, 0, y[i]);
    }
    return l;
  }

  @Test
  void matchesLoopReference() {
    INDArray z = Nd4j.randn(Nd4j.getRandomFactory().getNewRandomInstance(3), new long[] {5, 7}).castTo(DataType.DOUBLE).muli(3);
    int[] y = {0, 6, 3, 3, 1};
    double[] expected = reference(z.toDoubleMatrix(), y);
    assertArrayEquals(expected, LOSS.computeScoreArray(labels(y), z, IDENTITY, null).toDoubleVector(), 1e-12);
    double sum = java.util.Arrays.stream(expected).sum();
    assertEquals(sum, LOSS.computeScore(labels(y), z, IDENTITY, null, false), 1e-12);
    assertEquals(sum / 5, LOSS.computeScore(labels(y), z, IDENTITY, null, true), 1e-12);
  }

  @Test
  void closedFormsAndStability() {
    // Equal logits: ln V for every label. Huge logits: no overflow (log-sum-exp).
    assertEquals(Math.log(7), LOSS.computeScore(labels(2), Nd4j.zeros(DataType.DOUBLE, 1, 7).addi(5), IDENTITY, null, true), 1e-12);
    INDArray huge = Nd4j.createFromArray(new double[][] {{1000, 0, -1000}});
    assertEquals(1000, LOSS.computeScore(labels(1), huge, IDENTITY, null, true), 1e-9);
    assertEquals(0, LOSS.computeScore(labels(0), huge, IDENTITY, null, true), 1e-12);
  }

  @Test
  void gradientIsSoftmaxMinusOneHotAndRespectsTheMask() {
    INDArray z = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {0, 0, 0}});
    INDArray g = LOSS.computeGradient(labels(2, 0), z, IDENTITY, null);
    double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertArrayEquals(new double[] {Math.exp(1) / e, Math.exp(2) / e, Math.exp(3) / e - 1}, g.getRow(0).toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {1.0 / 3 - 1, 1.0 / 3, 1.0 / 3}, g.getRow(1).toDoubleVector(), 1e-12);
    INDArray mask = Nd4j.createFromArray(new double[][] {{0}, {1}});
    INDArray gm = LOSS.computeGradient(labels(2, 0), z, IDENTITY, mask);
    assertArrayEquals(new double[] {0, 0, 0}, gm.getRow(0).toDoubleVector(), 0);
    assertEquals(Math.log(3), LOSS.computeScore(labels(2, 0), z, IDENTITY, mask, false), 1e-12);
  }

  @Test
  void refusesBadInput() {
    INDArray z = Nd4j.zeros(DataType.DOUBLE, 2, 3);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LOSS.computeScore(labels(0, 3), z, IDENTITY, null, true))
        .getMessage().contains("not a class id in [0, 3)"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LOSS.computeScore(labels(0), z, IDENTITY, null, true))
        .getMessage().contains("labels must be [2, 1]"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LOSS.computeScore(labels(0, 1), z, new ActivationSoftmax(), null, true)).getMessage().contains("identity"));
  }

  static Stream<Arguments> rows() {
    return Stream.of(Arguments.of(1), Arguments.of(3));
  }

  @ParameterizedTest(name = "rows={0}")
  @MethodSource("rows")
  void gradientCheckThroughGraph(int rows) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
        .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("in")
        .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("loss", new LossLayer.Builder(LOSS).activation(Activation.IDENTITY).build(), "dense")
        .setOutputs("loss").build();
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed);
    ComputationGraph graph = new ComputationGraph(parsed);
    graph.init();
    INDArray input = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(rows), new long[] {rows, 4}).castTo(DataType.DOUBLE);
    assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
        .inputs(new INDArray[] {input})
        .labels(new INDArray[] {labels(4, 0, 2).get(NDArrayIndex.interval(0, rows), NDArrayIndex.all())})
        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)));
  }
}

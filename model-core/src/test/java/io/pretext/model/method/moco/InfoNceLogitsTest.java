package io.pretext.model.method.moco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.loss.DoublePrecision;
import io.pretext.model.loss.SparseSoftmaxCrossEntropy;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * {@link InfoNceLogits} with cross-entropy on target 0: MoCo's symmetric InfoNCE. Checked against an independent
 * loop over the formula of He et al. 2020 (Algorithm 1), and by gradient checks in double precision (DL4J's
 * {@code LossFunctionGradientCheck} settings: NoOp updater, epsilon 1e-6, max relative error 1e-5, JSON round trip
 * first) with 1 and 3 pairs, several temperatures and queue lengths.
 */
@ExtendWith(DoublePrecision.class)
class InfoNceLogitsTest {
  private static final int IN = 5;
  private static final int D = 4;

  /** {@code in [2N, IN] -> Dense(tanh) "q" -> InfoNceLogits(q, keys, queue) -> LossLayer(SSCE)}: keys and queue are inputs. */
  private static ComputationGraph graph(double temperature, int queue) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(7).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("in", "keys", "queue")
        .setInputTypes(InputType.feedForward(IN), InputType.feedForward(D), InputType.feedForward(D))
        .addLayer("q", new DenseLayer.Builder().nOut(D).activation(Activation.TANH).build(), "in")
        .addVertex("logits", new InfoNceLogits(temperature, queue), "q", "keys", "queue")
        .addLayer("loss", new LossLayer.Builder(new SparseSoftmaxCrossEntropy()).activation(Activation.IDENTITY).build(), "logits")
        .setOutputs("loss")
        .build();
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed, "JSON round trip");
    ComputationGraph g = new ComputationGraph(parsed);
    g.init();
    return g;
  }

  private static INDArray unitRows(SplittableRandom rng, int rows) {
    double[][] a = new double[rows][D];
    for (double[] r : a) {
      double n = 0;
      for (int j = 0; j < D; j++) {
        r[j] = rng.nextGaussian();
        n += r[j] * r[j];
      }
      for (int j = 0; j < D; j++) {
        r[j] /= Math.sqrt(n);
      }
    }
    return Nd4j.createFromArray(a);
  }

  private static INDArray randomRows(SplittableRandom rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] r : a) {
      for (int j = 0; j < cols; j++) {
        r[j] = rng.nextDouble() * 2 - 1;
      }
    }
    return Nd4j.createFromArray(a);
  }

  static Stream<Arguments> cases() {
    return Stream.of(1, 3).flatMap(pairs -> Stream.of(0.1, 0.2, 1.0).flatMap(t -> Stream.of(1, 6).map(k -> Arguments.of(pairs, t, k))));
  }

  @ParameterizedTest(name = "pairs={0}, T={1}, K={2}")
  @MethodSource("cases")
  void gradientsMatchNumerical(int pairs, double temperature, int queue) {
    ComputationGraph g = graph(temperature, queue);
    SplittableRandom rng = new SplittableRandom(pairs * 31L + queue);
    INDArray in = randomRows(rng, 2 * pairs, IN);
    INDArray keys = randomRows(rng, 2 * pairs, D);
    INDArray q = unitRows(rng, queue);
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(g)
        .inputs(new INDArray[] {in, keys, q})
        .labels(new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 2 * pairs, 1)})
        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    assertTrue(ok, "gradient check failed for pairs=" + pairs + ", T=" + temperature + ", K=" + queue);
  }

  /**
   * The loss from the paper's pseudocode, one query at a time: {@code l_pos = q.k+ / T}, {@code l_neg = q.queue / T},
   * {@code -log softmax([l_pos, l_neg])[0]}, averaged over both views' queries, each paired with the other view's key.
   */
  static double reference(double[][] q, double[][] k, double[][] queue, double t) {
    int n2 = q.length;
    int n = n2 / 2;
    double sum = 0;
    for (int i = 0; i < n2; i++) {
      double[] qi = normalise(q[i]);
      double[] kp = normalise(k[i < n ? i + n : i - n]);
      double[] logits = new double[1 + queue.length];
      logits[0] = dot(qi, kp) / t;
      for (int j = 0; j < queue.length; j++) {
        logits[1 + j] = dot(qi, queue[j]) / t;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double l : logits) {
        max = Math.max(max, l);
      }
      double z = 0;
      for (double l : logits) {
        z += Math.exp(l - max);
      }
      sum += -(logits[0] - max - Math.log(z));
    }
    return sum / n2;
  }

  private static double[] normalise(double[] v) {
    double n = Math.sqrt(dot(v, v));
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / n;
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void lossEqualsThePapersFormula() {
    for (int pairs : new int[] {1, 2, 5}) {
      for (double t : new double[] {0.07, 0.2, 1.0}) {
        ComputationGraph g = graph(t, 7);
        SplittableRandom rng = new SplittableRandom(pairs * 100 + (long) (t * 100));
        INDArray in = randomRows(rng, 2 * pairs, IN);
        INDArray keys = randomRows(rng, 2 * pairs, D);
        INDArray queue = unitRows(rng, 7);
        g.setInputs(in, keys, queue);
        g.setLabels(Nd4j.zeros(DataType.DOUBLE, 2 * pairs, 1));
        g.computeGradientAndScore();
        INDArray q = g.feedForward(new INDArray[] {in, keys, queue}, false).get("q");
        double expected = reference(q.toDoubleMatrix(), keys.toDoubleMatrix(), queue.toDoubleMatrix(), t);
        assertEquals(expected, g.score(), 1e-10 * Math.max(1, Math.abs(expected)), "pairs " + pairs + ", T " + t);
      }
    }
  }

  @Test
  void perfectKeysAgainstOrthogonalQueueGiveTheClosedForm() {
    // q = k+ (cosine 1), every queue key orthogonal (cosine 0): loss = -log(e^(1/T) / (e^(1/T) + K)) = log(1 + K e^(-1/T))
    double t = 0.5;
    int k = 3;
    INDArray q = Nd4j.createFromArray(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}});
    INDArray keys = Nd4j.createFromArray(new double[][] {{0, 1, 0, 0}, {1, 0, 0, 0}}); // row i pairs with row 1 - i
    INDArray queue = Nd4j.createFromArray(new double[][] {{0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0, -1}});
    assertEquals(Math.log(1 + k * Math.exp(-1 / t)), reference(q.toDoubleMatrix(), keys.toDoubleMatrix(), queue.toDoubleMatrix(), t),
        1e-12, "the reference itself");
    INDArray logits = InfoNceLogitsVertexProbe.forward(q, keys, queue, t);
    assertEquals(1 / t, logits.getDouble(0, 0), 1e-12);
    assertEquals(1 / t, logits.getDouble(1, 0), 1e-12);
    assertEquals(0, logits.getRow(0).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4)).amaxNumber().doubleValue(), 1e-12);
  }

  @Test
  void refusesAQueueOfTheWrongLengthOrAnOddBatch() {
    ComputationGraph g = graph(0.2, 4);
    SplittableRandom rng = new SplittableRandom(3);
    INDArray in = randomRows(rng, 4, IN);
    INDArray keys = randomRows(rng, 4, D);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.output(false, in, keys, unitRows(rng, 5)));
    assertTrue(e.getMessage().contains("4 rows"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.output(false, randomRows(rng, 3, IN), randomRows(rng, 3, D), unitRows(rng, 4)));
    assertThrows(IllegalArgumentException.class, () -> new InfoNceLogits(0, 4));
    assertThrows(IllegalArgumentException.class, () -> new InfoNceLogits(0.2, 0));
  }
}

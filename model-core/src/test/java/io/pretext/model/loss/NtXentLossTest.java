package io.pretext.model.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Values of {@link NtXentLoss}: closed forms, an independent reference, symmetry, loss-level gradients, validation. */
@ExtendWith(DoublePrecision.class)
class NtXentLossTest {

  static Stream<Arguments> pairsAndTemperatures() {
    return Stream.of(1, 2, 5, 16).flatMap(n -> Stream.of(0.05, 0.1, 0.5, 1.0, 3.0)
        .map(t -> Arguments.of(n, t)));
  }

  @ParameterizedTest(name = "N={0}, T={1}")
  @MethodSource("pairsAndTemperatures")
  void identicalEmbeddingsGiveLnTwoNMinusOne(int n, double t) {
    INDArray z = Nd4j.ones(DataType.DOUBLE, 2L * n, 7).muli(0.3);
    NtXentLoss loss = new NtXentLoss(t);
    double mean = loss.computeScore(labels(z), z, new ActivationIdentity(), null, true);
    assertEquals(Math.log(2.0 * n - 1), mean, 1e-12);
  }

  @ParameterizedTest(name = "N={0}, T={1}")
  @MethodSource("pairsAndTemperatures")
  void separatedPairsMatchClosedFormAndVanishForSmallTemperature(int n, double t) {
    // Positives identical, different pairs orthogonal: l_i = log(1 + (2N - 2) exp(-1/T)) for every anchor.
    INDArray z = Nd4j.zeros(DataType.DOUBLE, 2L * n, n);
    for (int i = 0; i < n; i++) {
      z.putScalar(i, i, 2.0);
      z.putScalar(i + n, i, 0.5);
    }
    double mean = new NtXentLoss(t).computeScore(labels(z), z, new ActivationIdentity(), null, true);
    double expected = Math.log1p((2.0 * n - 2) * Math.exp(-1.0 / t));
    assertEquals(expected, mean, 1e-12);
    if (t <= 0.05) {
      assertTrue(mean < 1e-6, "loss " + mean + " should be ~0 for T=" + t);
    }
  }

  static Stream<Arguments> randomCases() {
    return Stream.of(1, 2, 4, 7).flatMap(n -> Stream.of(0.1, 0.5, 1.0).map(t -> Arguments.of(n, t)));
  }

  @ParameterizedTest(name = "N={0}, T={1}")
  @MethodSource("randomCases")
  void matchesLoopReferenceOnRandomInputs(int n, double t) {
    double[][] z = random(2 * n, 5, 1000L * n + (long) (t * 10));
    INDArray arr = Nd4j.createFromArray(z);
    NtXentLoss loss = new NtXentLoss(t);
    double[] expected = NtXentReference.perAnchor(z, t);
    double[] actual = loss.computeScoreArray(labels(arr), arr, new ActivationIdentity(), null).data().asDouble();
    assertArrayEquals(expected, actual, 1e-10);
    assertEquals(NtXentReference.mean(z, t), loss.computeScore(labels(arr), arr, new ActivationIdentity(), null,
        true), 1e-10);
    double sum = 0;
    for (double v : expected) {
      sum += v;
    }
    assertEquals(sum, loss.computeScore(labels(arr), arr, new ActivationIdentity(), null, false), 1e-9);
    assertEquals(sum / (2 * n), loss.computeGradientAndScore(labels(arr), arr, new ActivationIdentity(), null,
        true).getFirst(), 1e-10);
  }

  @ParameterizedTest(name = "N={0}, T={1}")
  @MethodSource("randomCases")
  void swappingTheViewsGivesTheSameLoss(int n, double t) {
    INDArray z = Nd4j.createFromArray(random(2 * n, 6, 77L + n));
    INDArray swapped = Nd4j.vstack(z.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()),
        z.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
    NtXentLoss loss = new NtXentLoss(t);
    double a = loss.computeScore(labels(z), z, new ActivationIdentity(), null, true);
    double b = loss.computeScore(labels(swapped), swapped, new ActivationIdentity(), null, true);
    assertEquals(a, b, 1e-12);
  }

  @Test
  void isNotInvariantToPairing() {
    // Sanity check that the positive pairing matters: permuting the second view changes the loss.
    int n = 4;
    INDArray z = Nd4j.createFromArray(random(2 * n, 6, 5L));
    INDArray permuted = z.dup();
    permuted.getRow(n).assign(z.getRow(n + 1));
    permuted.getRow(n + 1).assign(z.getRow(n));
    NtXentLoss loss = new NtXentLoss(0.5);
    assertNotEquals(loss.computeScore(labels(z), z, new ActivationIdentity(), null, true),
        loss.computeScore(labels(permuted), permuted, new ActivationIdentity(), null, true), 1e-6);
  }

  static Stream<Arguments> gradientCases() {
    // normEps 1e-8: normal branch; normEps 0.5 with small rows: the clamped branch u = z / normEps.
    return Stream.of(
        Arguments.of(1, 0.5, 1e-8, 1.0), Arguments.of(2, 0.1, 1e-8, 1.0), Arguments.of(3, 0.5, 1e-8, 1.0),
        Arguments.of(3, 1.0, 1e-8, 1.0), Arguments.of(3, 0.5, 0.5, 0.01), Arguments.of(2, 0.2, 0.5, 0.2));
  }

  @ParameterizedTest(name = "N={0}, T={1}, normEps={2}, scale={3}")
  @MethodSource("gradientCases")
  void analyticGradientMatchesFiniteDifferencesOfTheScore(int n, double t, double normEps, double scale) {
    NtXentLoss loss = new NtXentLoss(t, normEps);
    INDArray z = Nd4j.createFromArray(random(2 * n, 4, 31L * n)).muli(scale);
    INDArray labels = labels(z);
    ActivationTanH tanh = new ActivationTanH(); // non-identity activation exercises the activation backprop
    INDArray analytic = loss.computeGradient(labels, z, tanh, null);
    assertEquals(analytic, loss.computeGradientAndScore(labels, z, tanh, null, false).getSecond());
    double h = 1e-6;
    for (int i = 0; i < z.rows(); i++) {
      for (int d = 0; d < z.columns(); d++) {
        double orig = z.getDouble(i, d);
        z.putScalar(i, d, orig + h);
        double plus = loss.computeScore(labels, z, tanh, null, false);
        z.putScalar(i, d, orig - h);
        double minus = loss.computeScore(labels, z, tanh, null, false);
        z.putScalar(i, d, orig);
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, analytic.getDouble(i, d), 1e-7 + 1e-5 * Math.abs(numeric),
            "d loss / d z[" + i + "," + d + "]");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsBadTemperature(double t) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(t));
    assertTrue(e.getMessage().contains(String.valueOf(t)), e.getMessage());
    assertTrue(e.getMessage().contains("> 0"), e.getMessage());
  }

  @Test
  void rejectsBadNormEps() {
    assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(0.5, 0.0));
  }

  @Test
  void rejectsOddBatchWrongLabelsAndMasks() {
    NtXentLoss loss = new NtXentLoss(0.5);
    INDArray odd = Nd4j.rand(DataType.DOUBLE, 3, 4);
    assertThrows(IllegalArgumentException.class,
        () -> loss.computeScore(Nd4j.zeros(3, 1), odd, new ActivationIdentity(), null, true));
    INDArray z = Nd4j.rand(DataType.DOUBLE, 4, 4);
    assertThrows(IllegalArgumentException.class,
        () -> loss.computeScore(Nd4j.zeros(2, 1), z, new ActivationIdentity(), null, true));
    assertThrows(UnsupportedOperationException.class,
        () -> loss.computeGradient(labels(z), z, new ActivationIdentity(), Nd4j.ones(4, 1)));
    assertThrows(IllegalArgumentException.class, () -> NtXentLoss.labelsFor(3, DataType.FLOAT));
  }

  @Test
  void labelsHelperShape() {
    INDArray l = NtXentLoss.labelsFor(6, DataType.FLOAT);
    assertArrayEquals(new long[] {6, 1}, l.shape());
    assertEquals(DataType.FLOAT, l.dataType());
  }

  @Test
  void worksInFloat() {
    INDArray z = Nd4j.createFromArray(random(8, 5, 9L)).castTo(DataType.FLOAT);
    double[][] zd = random(8, 5, 9L);
    double expected = NtXentReference.mean(zd, 0.1);
    NtXentLoss loss = new NtXentLoss(0.1);
    assertEquals(expected, loss.computeScore(labels(z), z, new ActivationIdentity(), null, true), 1e-4);
    assertEquals(DataType.FLOAT, loss.computeGradient(labels(z), z, new ActivationIdentity(), null).dataType());
  }

  private static INDArray labels(INDArray z) {
    return NtXentLoss.labelsFor(z.size(0), z.dataType());
  }

  static double[][] random(int rows, int cols, long seed) {
    Random rng = new Random(seed);
    double[][] z = new double[rows][cols];
    for (double[] row : z) {
      for (int d = 0; d < cols; d++) {
        row[d] = rng.nextGaussian();
      }
    }
    return z;
  }
}

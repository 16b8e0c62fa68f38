package io.pretext.model.method.distillation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pretext.model.loss.DoublePrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ByolLoss} against closed forms, an independent loop implementation written from the paper's Eq. 2, and
 * central differences of that reference; the target half never gets a gradient (stop-gradient).
 */
@ExtendWith(DoublePrecision.class)
class ByolLossTest {
  private static final ByolLoss LOSS = new ByolLoss();
  private static final ActivationIdentity ID = new ActivationIdentity();

  /** {@code [q | z]} rows for N = 1, D = 2: first view then second view. */
  private static INDArray pair(double[] q0, double[] q1, double[] z0, double[] z1) {
    return Nd4j.create(new double[][] {{q0[0], q0[1], z0[0], z0[1]}, {q1[0], q1[1], z1[0], z1[1]}});
  }

  private static double score(INDArray preOutput) {
    return LOSS.computeScore(Nd4j.zeros(DataType.DOUBLE, preOutput.size(0), 1), preOutput, ID, null, false);
  }

  @Test
  void closedFormsCompareEachPredictionWithTheOtherViewsTarget() {
    double[] x = {1, 0};
    double[] y = {0, 3};
    // q0 = x meets z1 = x (cos 1), q1 = y meets z0 = y (cos 1): 0 + 0.
    assertEquals(0.0, score(pair(x, y, y, x)), 1e-12);
    // q0 = x meets z1 = y (cos 0), q1 = y meets z0 = x (cos 0): 2 + 2; it compares across views, not the same row.
    assertEquals(4.0, score(pair(x, y, x, y)), 1e-12);
    // Opposite directions: cos -1, loss 4 each.
    assertEquals(8.0, score(pair(x, x, new double[] {-2, 0}, new double[] {-1, 0})), 1e-12);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void scoreAndGradientMatchTheLoopReferenceAndCentralDifferences(int n) {
    int d = 3;
    Nd4j.getRandom().setSeed(7 + n);
    INDArray pre = Nd4j.randn(DataType.DOUBLE, 2L * n, 2L * d);
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2L * n, 1);
    assertEquals(reference(pre, n, d), score(pre), 1e-10);
    assertEquals(reference(pre, n, d) / (2 * n), LOSS.computeScore(labels, pre, ID, null, true), 1e-10);

    INDArray grad = LOSS.computeGradient(labels, pre, ID, null);
    double h = 1e-6;
    for (int r = 0; r < 2 * n; r++) {
      for (int c = 0; c < 2 * d; c++) {
        INDArray plus = pre.dup();
        plus.putScalar(r, c, pre.getDouble(r, c) + h);
        INDArray minus = pre.dup();
        minus.putScalar(r, c, pre.getDouble(r, c) - h);
        double numeric = (reference(plus, n, d) - reference(minus, n, d)) / (2 * h);
        if (c < d) {
          assertEquals(numeric, grad.getDouble(r, c), 1e-6, "dL/dq[" + r + "," + c + "]");
        } else {
          assertEquals(0.0, grad.getDouble(r, c), 0.0, "the target half gets no gradient (stop-gradient) at [" + r + "," + c + "]");
        }
      }
    }
  }

  @Test
  void invariantToTheScaleOfPredictionsAndTargets() {
    Nd4j.getRandom().setSeed(3);
    INDArray pre = Nd4j.randn(DataType.DOUBLE, 4, 6);
    INDArray scaled = pre.dup();
    scaled.muliRowVector(Nd4j.create(new double[] {2, 2, 2, 0.1, 0.1, 0.1}));
    assertEquals(score(pre), score(scaled), 1e-10);
  }

  @Test
  void refusesOddShapesAndMasks() {
    assertThrows(IllegalArgumentException.class, () -> score(Nd4j.zeros(DataType.DOUBLE, 3, 4)));
    assertThrows(IllegalArgumentException.class, () -> score(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
    assertThrows(UnsupportedOperationException.class,
        () -> LOSS.computeScore(Nd4j.zeros(DataType.DOUBLE, 2, 1), Nd4j.ones(DataType.DOUBLE, 2, 4), ID, Nd4j.ones(DataType.DOUBLE, 2, 1), true));
    assertThrows(IllegalArgumentException.class, () -> new ByolLoss(0));
  }

  /** The paper's loss written out: sum over rows of 2 - 2 cos(q_r, z_p(r)), p swapping the two views. */
  private static double reference(INDArray pre, int n, int d) {
    double total = 0;
    for (int r = 0; r < 2 * n; r++) {
      int p = r < n ? r + n : r - n;
      double dot = 0;
      double qq = 0;
      double zz = 0;
      for (int c = 0; c < d; c++) {
        double q = pre.getDouble(r, c);
        double z = pre.getDouble(p, d + c);
        dot += q * z;
        qq += q * q;
        zz += z * z;
      }
      total += 2 - 2 * dot / (Math.sqrt(qq) * Math.sqrt(zz));
    }
    return total;
  }
}

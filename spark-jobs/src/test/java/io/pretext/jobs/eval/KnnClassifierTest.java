package io.pretext.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KnnClassifierTest {

  /**
   * Brute force from the definition (InstDisc, Wu et al. 2018): normalise in double, sort every train
   * point by (similarity desc, index asc), sum exp(sim / tau) of the first min(k, N) per class, argmax
   * with the lowest class first.
   */
  static int reference(float[][] train, int[] labels, float[] query, int k, double tau) {
    double[] q = unit(query);
    List<double[]> ranked = new ArrayList<>(); // {sim, index}
    for (int i = 0; i < train.length; i++) {
      double[] x = unit(train[i]);
      double s = 0;
      for (int j = 0; j < x.length; j++) {
        s += x[j] * q[j];
      }
      ranked.add(new double[] {s, i});
    }
    ranked.sort(Comparator.<double[]>comparingDouble(a -> -a[0]).thenComparingDouble(a -> a[1]));
    int classes = java.util.Arrays.stream(labels).max().orElseThrow() + 1;
    double[] votes = new double[classes];
    for (int n = 0; n < Math.min(k, train.length); n++) {
      votes[labels[(int) ranked.get(n)[1]]] += Math.exp(ranked.get(n)[0] / tau);
    }
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (votes[c] > votes[best]) {
        best = c;
      }
    }
    return best;
  }

  static double[] unit(float[] v) {
    double sq = 0;
    for (float x : v) {
      sq += (double) x * x;
    }
    double n = Math.max(Math.sqrt(sq), 1e-12);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / n;
    }
    return out;
  }

  static float[][] gaussian(Random r, int n, int d) {
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return x;
  }

  @ParameterizedTest(name = "n={0} d={1} classes={2} k={3} tau={4}")
  @CsvSource({
      "1, 3, 1, 1, 0.07",
      "5, 2, 3, 1, 0.07",
      "40, 8, 4, 5, 0.07",
      "40, 8, 4, 200, 0.07",   // k > N: clamped, every train point votes
      "200, 16, 10, 200, 0.07",
      "150, 5, 3, 20, 1.0",
      "97, 7, 2, 13, 0.01"})
  void matchesBruteForceOnRandomData(int n, int d, int classes, int k, double tau) {
    Random r = new Random(n * 31L + d);
    float[][] train = gaussian(r, n, d);
    int[] labels = r.ints(n, 0, classes).toArray();
    float[][] test = gaussian(r, 60, d);
    KnnClassifier knn = KnnClassifier.fit(train, labels, k, tau);
    assertEquals(Math.min(k, n), knn.effectiveK());
    int[] expected = new int[test.length];
    for (int i = 0; i < test.length; i++) {
      expected[i] = reference(train, labels, test[i], k, tau);
    }
    assertArrayEquals(expected, knn.predict(test));
  }

  @Test
  void neighbourTiesAtTheKBoundaryGoToTheLowerIndex() {
    // Query along e0. Points 1 and 2 are the same direction (equal similarity); with k = 2 the nearest
    // is point 0 (label 0), and the tie between 1 (label 1) and 2 (label 2) is won by index 1.
    float[][] train = {{1, 0}, {1, 1}, {2, 2}, {0, 1}};
    int[] labels = {0, 1, 2, 2};
    KnnClassifier knn = KnnClassifier.fit(train, labels, 2, 0.07);
    float[] q = {1, 0.2f};
    // Votes: label 0 from sim(0) and label 1 from sim(1); label 0 is nearer, so it wins...
    assertEquals(0, knn.predict(q));
    assertEquals(reference(train, labels, q, 2, 0.07), knn.predict(q));
    // ...and with point 0 removed, the tie decides: k = 1 picks index 1 (label 1), not index 2 (label 2).
    float[][] tied = {{1, 1}, {2, 2}, {0, 1}};
    int[] tiedLabels = {1, 2, 2};
    assertEquals(1, KnnClassifier.fit(tied, tiedLabels, 1, 0.07).predict(q));
    int[] swapped = {2, 1, 2};
    assertEquals(2, KnnClassifier.fit(tied, swapped, 1, 0.07).predict(q));
  }

  @Test
  void voteTiesGoToTheLowestClass() {
    // Two train points at equal similarity with labels 2 and 1: equal votes, class 1 wins.
    float[][] train = {{1, 1}, {1, -1}};
    float[] q = {1, 0};
    assertEquals(1, KnnClassifier.fit(train, new int[] {2, 1}, 2, 0.07).predict(q));
    assertEquals(1, KnnClassifier.fit(train, new int[] {1, 2}, 2, 0.07).predict(q));
  }

  @Test
  void weightsNotCountsDecide() {
    // Two far points of class 0 against one near point of class 1: at small tau the near one wins,
    // at large tau (almost uniform weights) the majority wins.
    float[][] train = {{1, 0.05f}, {0.2f, 1}, {0.2f, -1}};
    int[] labels = {1, 0, 0};
    float[] q = {1, 0};
    assertEquals(1, KnnClassifier.fit(train, labels, 3, 0.07).predict(q));
    assertEquals(0, KnnClassifier.fit(train, labels, 3, 100).predict(q));
  }

  @Test
  void scaleOfTheFeaturesDoesNotMatterAndZeroVectorsAreAllowed() {
    Random r = new Random(3);
    float[][] train = gaussian(r, 30, 4);
    int[] labels = r.ints(30, 0, 3).toArray();
    float[][] scaled = new float[30][4];
    for (int i = 0; i < 30; i++) {
      for (int j = 0; j < 4; j++) {
        scaled[i][j] = train[i][j] * (i + 1) * 10f;
      }
    }
    float[][] test = gaussian(r, 20, 4);
    assertArrayEquals(KnnClassifier.fit(train, labels, 7, 0.07).predict(test), KnnClassifier.fit(scaled, labels, 7, 0.07).predict(test));
    // A zero query has similarity 0 to everything: all weights equal, so the first k by index vote.
    assertEquals(reference(train, labels, new float[4], 7, 0.07), KnnClassifier.fit(train, labels, 7, 0.07).predict(new float[4]));
  }

  @Test
  void accuracyCountsMatches() {
    float[][] train = {{1, 0}, {0, 1}};
    KnnClassifier knn = KnnClassifier.fit(train, new int[] {0, 1}, 1, 0.07);
    assertEquals(0.5, knn.accuracy(new float[][] {{2, 0.1f}, {2, 0.1f}}, new int[] {0, 1}), 1e-12);
    assertTrue(Double.isNaN(knn.accuracy(new float[0][], new int[0])));
  }

  @Test
  void invalidArgumentsNameTheArgumentAndTheAllowedValues() {
    float[][] train = {{1, 0}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnnClassifier.fit(train, new int[] {0}, 0, 0.07));
    assertTrue(e.getMessage().contains("k") && e.getMessage().contains(">= 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KnnClassifier.fit(train, new int[] {0}, 1, 0));
    assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KnnClassifier.fit(new float[0][], new int[0], 1, 0.07));
    assertTrue(e.getMessage().contains("at least one train row"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KnnClassifier.fit(train, new int[] {-1}, 1, 0.07));
    assertTrue(e.getMessage().contains("labels[0]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KnnClassifier.fit(new float[][] {{Float.NaN, 0}}, new int[] {0}, 1, 0.07));
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KnnClassifier.fit(train, new int[] {0}, 1, 0.07).predict(new float[3]));
    assertTrue(e.getMessage().contains("query") && e.getMessage().contains("2 values"), e.getMessage());
  }
}

package io.pretext.model.loss;

/**
 * Independent NT-Xent written from SimCLR eq. 1 (Chen et al. 2020) with plain double loops, no ND4J. Rows
 * {@code 0..N-1} and {@code N..2N-1} of {@code z} are the two views; row i's positive is {@code (i + N) mod 2N}.
 */
final class NtXentReference {

  private NtXentReference() {
  }

  /** Per-anchor losses l_i, i = 0..2N-1. */
  static double[] perAnchor(double[][] z, double temperature) {
    int m = z.length;
    int n = m / 2;
    double[][] u = new double[m][];
    for (int i = 0; i < m; i++) {
      double norm = 0;
      for (double v : z[i]) {
        norm += v * v;
      }
      norm = Math.max(Math.sqrt(norm), NtXentLoss.DEFAULT_NORM_EPS);
      u[i] = new double[z[i].length];
      for (int d = 0; d < z[i].length; d++) {
        u[i][d] = z[i][d] / norm;
      }
    }
    double[] loss = new double[m];
    for (int i = 0; i < m; i++) {
      int positive = (i + n) % m;
      double numerator = Math.exp(sim(u[i], u[positive]) / temperature);
      double denominator = 0;
      for (int k = 0; k < m; k++) {
        if (k != i) {
          denominator += Math.exp(sim(u[i], u[k]) / temperature);
        }
      }
      loss[i] = -Math.log(numerator / denominator);
    }
    return loss;
  }

  /** Mean over the 2N anchors. */
  static double mean(double[][] z, double temperature) {
    double sum = 0;
    for (double l : perAnchor(z, temperature)) {
      sum += l;
    }
    return sum / z.length;
  }

  private static double sim(double[] a, double[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      s += a[d] * b[d];
    }
    return s;
  }
}

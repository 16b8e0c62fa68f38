package io.pretext.jobs.lifecycle;

/**
 * Normalised mutual information of two labellings from their contingency table, as DeepCluster reports it (Caron et
 * al. 2018, Eq. 3): {@code NMI(A; B) = I(A; B) / sqrt(H(A) H(B))}, natural logarithms. 1 when one labelling is a
 * relabelling of the other, 0 when they are independent; defined as 0 when either labelling has a single class (zero
 * entropy). scikit-learn's {@code normalized_mutual_info_score} divides by the arithmetic mean of the entropies by
 * default, which is never smaller than the geometric mean: its values are at most these.
 */
public final class Nmi {
  private Nmi() {}

  /**
   * @param counts {@code counts[a][b]}: records with class {@code a} in A and {@code b} in B, all &gt;= 0
   * @throws IllegalArgumentException if a count is negative or the table is empty
   */
  public static double of(long[][] counts) {
    int na = counts.length;
    int nb = na == 0 ? 0 : counts[0].length;
    double[] ra = new double[na];
    double[] rb = new double[nb];
    double n = 0;
    for (int a = 0; a < na; a++) {
      if (counts[a].length != nb) {
        throw new IllegalArgumentException("contingency table rows differ in length");
      }
      for (int b = 0; b < nb; b++) {
        if (counts[a][b] < 0) {
          throw new IllegalArgumentException("negative count " + counts[a][b] + " at (" + a + ", " + b + ")");
        }
        ra[a] += counts[a][b];
        rb[b] += counts[a][b];
        n += counts[a][b];
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("NMI of an empty contingency table");
    }
    double ha = entropy(ra, n);
    double hb = entropy(rb, n);
    if (ha == 0 || hb == 0) {
      return 0;
    }
    double mi = 0;
    for (int a = 0; a < na; a++) {
      for (int b = 0; b < nb; b++) {
        long c = counts[a][b];
        if (c > 0) {
          mi += c / n * Math.log(c * n / (ra[a] * rb[b]));
        }
      }
    }
    return Math.max(0, Math.min(1, mi / Math.sqrt(ha * hb)));
  }

  private static double entropy(double[] counts, double n) {
    double h = 0;
    for (double c : counts) {
      if (c > 0) {
        h -= c / n * Math.log(c / n);
      }
    }
    return h;
  }
}

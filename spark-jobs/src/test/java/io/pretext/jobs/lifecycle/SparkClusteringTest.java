package io.pretext.jobs.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.model.lifecycle.Assignment;
import io.pretext.model.lifecycle.Centroids;
import io.pretext.model.lifecycle.Pca;
import io.pretext.model.lifecycle.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkClustering} by properties that hold whatever MLlib computes inside: whitened projections have zero mean
 * and identity covariance, their first direction is the data's leading eigenvector (found here by power iteration),
 * normalised rows have unit length; k-means recovers well-separated blobs exactly (NMI 1 with the blob labels);
 * assignment is to the nearest centroid.
 */
class SparkClusteringTest {
  private final SparkSession spark = SharedSpark.get();
  private final SparkClustering tools = new SparkClustering(spark);

  private SparkVectors vectors(double[][] points, Integer[] labels) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      rows.add(RowFactory.create("r" + i, labels == null ? null : labels[i], org.apache.spark.ml.linalg.Vectors.dense(points[i])));
    }
    return new SparkVectors(spark.createDataFrame(rows, SparkVectors.SCHEMA).repartition(3));
  }

  /** Correlated 4-d Gaussian data with an offset: x = A z + m. */
  private static double[][] correlated(int n) {
    double[][] a = {{3, 1, 0, 0}, {1, 2, 0.5, 0}, {0, 0.5, 1, 0.2}, {0, 0, 0.2, 0.3}};
    double[] m = {5, -2, 1, 0};
    SplittableRandom rng = new SplittableRandom(3);
    double[][] x = new double[n][4];
    for (int i = 0; i < n; i++) {
      double[] z = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      for (int r = 0; r < 4; r++) {
        x[i][r] = m[r];
        for (int c = 0; c < 4; c++) {
          x[i][r] += a[r][c] * z[c];
        }
      }
    }
    return x;
  }

  private static double[][] collect(Vectors v) {
    List<Row> rows = SparkVectors.of(v).rows.orderBy("id").collectAsList();
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Vector) rows.get(i).get(2)).toArray();
    }
    return out;
  }

  @Test
  void whitenedComponentsAreUncorrelatedWithUnitVarianceAlongTheLeadingDirections() {
    double[][] x = correlated(3000);
    SparkVectors v = vectors(x, null);
    Pca pca = tools.fitPca(v, 3);
    double[][] y = collect(tools.project(v, pca, true, false));
    int n = y.length;
    for (int a = 0; a < 3; a++) {
      double mean = 0;
      for (double[] r : y) {
        mean += r[a] / n;
      }
      assertEquals(0, mean, 1e-9, "centred component " + a);
      for (int b = 0; b < 3; b++) {
        double cov = 0;
        for (double[] r : y) {
          cov += r[a] * r[b] / (n - 1);
        }
        assertEquals(a == b ? 1 : 0, cov, 1e-6, "covariance (" + a + ", " + b + ")");
      }
    }
    // the first component is the covariance matrix's leading eigenvector, by power iteration on the driver
    double[] mean = new double[4];
    for (double[] r : x) {
      for (int j = 0; j < 4; j++) {
        mean[j] += r[j] / x.length;
      }
    }
    double[][] c = new double[4][4];
    for (double[] r : x) {
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          c[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (x.length - 1);
        }
      }
    }
    double[] e = {1, 1, 1, 1};
    for (int it = 0; it < 500; it++) {
      double[] next = new double[4];
      double norm = 0;
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          next[i] += c[i][j] * e[j];
        }
        norm += next[i] * next[i];
      }
      for (int i = 0; i < 4; i++) {
        e[i] = next[i] / Math.sqrt(norm);
      }
    }
    double dot = 0;
    for (int i = 0; i < 4; i++) {
      dot += e[i] * pca.components()[i][0];
    }
    assertEquals(1, Math.abs(dot), 1e-6, "leading direction");
    double[][] unit = collect(tools.project(v, pca, true, true));
    for (double[] r : unit) {
      assertEquals(1, Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]), 1e-9);
    }
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> tools.fitPca(v, 5));
    assertTrue(tooMany.getMessage().contains("--pca-dim"), tooMany.getMessage());
  }

  @Test
  void kMeansRecoversSeparatedBlobsAndAssignsToTheNearestCentroid() {
    SplittableRandom rng = new SplittableRandom(9);
    double[][] centres = {{0, 0}, {10, 0}, {0, 10}};
    int n = 600;
    double[][] x = new double[n][];
    Integer[] labels = new Integer[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      x[i] = new double[] {centres[i % 3][0] + rng.nextGaussian(), centres[i % 3][1] + rng.nextGaussian()};
    }
    SparkVectors v = vectors(x, labels);
    Centroids k = tools.kMeans(v, 3, 20, 1);
    Assignment a = tools.assign(v, k);
    assertEquals(1.0, tools.nmiWithLabels(a), 1e-12, "the blobs, up to relabelling");
    assertEquals(1.0, tools.nmi(a, a), 1e-12);
    long total = 0;
    for (long s : a.sizes()) {
      assertEquals(200, s);
      total += s;
    }
    assertEquals(n, total);
    assertEquals(0, SparkClustering.nearest(new double[][] {{0, 0}, {3, 0}}, new double[] {1.4, 0}));
    assertEquals(1, SparkClustering.nearest(new double[][] {{0, 0}, {3, 0}}, new double[] {1.6, 0}));
    assertEquals(0, SparkClustering.nearest(new double[][] {{0, 0}, {2, 0}}, new double[] {1, 0}), "ties go to the lower index");
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> tools.kMeans(v, 601, 5, 1));
    assertTrue(tooMany.getMessage().contains("--clusters"), tooMany.getMessage());
  }
}

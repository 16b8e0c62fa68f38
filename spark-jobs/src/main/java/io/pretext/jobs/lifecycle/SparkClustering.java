package io.pretext.jobs.lifecycle;

import io.pretext.model.lifecycle.Assignment;
import io.pretext.model.lifecycle.Centroids;
import io.pretext.model.lifecycle.Clustering;
import io.pretext.model.lifecycle.Pca;
import io.pretext.model.lifecycle.Vectors;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * {@link Clustering} on Spark MLlib: {@code ml.feature.PCA} for the principal directions and their share of the
 * variance, {@code Summarizer} for the mean and the variances, {@code ml.clustering.KMeans} (k-means||, seeded) for the
 * centroids; projection, whitening, normalisation and nearest-centroid assignment run in the executors with the small
 * driver-side results broadcast. MLlib's {@code PCAModel.transform} neither centres nor whitens, so {@link #project}
 * does both itself: {@code y = (x - mean) . P}, then {@code y_j / std_j} with {@code std_j^2} the variance along
 * component {@code j} (its share times the total variance).
 */
public final class SparkClustering implements Clustering {
  private final SparkSession spark;

  public SparkClustering(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public Pca fitPca(Vectors x, int dims) {
    SparkVectors v = SparkVectors.of(x);
    if (dims < 1 || dims > v.dimension()) {
      throw new IllegalArgumentException("invalid value for --pca-dim: '" + dims + "' (allowed: 1.." + v.dimension()
          + ", the width of the vectors)");
    }
    PCAModel model = new PCA().setInputCol(SparkVectors.FEATURES).setOutputCol("pca").setK(dims).fit(v.rows);
    Row stats = v.rows.select(Summarizer.metrics("mean", "variance").summary(functions.col(SparkVectors.FEATURES)).as("s"))
        .select("s.mean", "s.variance").first();
    double[] mean = ((Vector) stats.get(0)).toArray();
    double total = Arrays.stream(((Vector) stats.get(1)).toArray()).sum();
    DenseMatrix pc = model.pc();
    double[] share = model.explainedVariance().toArray();
    double[][] components = new double[pc.numRows()][dims];
    for (int i = 0; i < pc.numRows(); i++) {
      for (int j = 0; j < dims; j++) {
        components[i][j] = pc.apply(i, j);
      }
    }
    double[] std = new double[dims];
    for (int j = 0; j < dims; j++) {
      std[j] = Math.sqrt(Math.max(0, share[j] * total));
    }
    return new Pca(mean, components, std);
  }

  @Override
  public Vectors project(Vectors x, Pca pca, boolean whiten, boolean normalize) {
    SparkVectors v = SparkVectors.of(x);
    // plain arrays, not the record: broadcasts go through Kryo, which cannot rebuild a record on Java 17
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<double[][]> b = sc.broadcast(pca.components());
    double[] mean = pca.mean();
    double[] std = pca.std();
    Dataset<Row> rows = spark.createDataFrame(v.rows.javaRDD().map(r -> {
      double[][] components = b.value();
      double[] in = ((Vector) r.get(2)).toArray();
      int k = std.length;
      double[] y = new double[k];
      for (int i = 0; i < in.length; i++) {
        double c = in[i] - mean[i];
        double[] row = components[i];
        for (int j = 0; j < k; j++) {
          y[j] += c * row[j];
        }
      }
      if (whiten) {
        for (int j = 0; j < k; j++) {
          y[j] = std[j] > 1e-12 ? y[j] / std[j] : 0;
        }
      }
      if (normalize) {
        double norm = 0;
        for (double z : y) {
          norm += z * z;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
          for (int j = 0; j < k; j++) {
            y[j] /= norm;
          }
        }
      }
      return RowFactory.create(r.get(0), r.get(1), org.apache.spark.ml.linalg.Vectors.dense(y));
    }), SparkVectors.SCHEMA);
    return new SparkVectors(rows, () -> b.destroy(false));
  }

  @Override
  public Centroids kMeans(Vectors x, int k, int maxIterations, long seed) {
    SparkVectors v = SparkVectors.of(x);
    if (k < 1 || k > v.count()) {
      throw new IllegalArgumentException("invalid value for --clusters: '" + k + "' (allowed: 1.." + v.count() + ", at most the records)");
    }
    // A projection of the cached vectors, not the cached DataFrame itself: MLlib then caches its own deserialized
    // vectors for the iterations (it skips that when its input is cached, and every Lloyd iteration would rebuild the
    // vectors from the DataFrame's columnar cache).
    KMeansModel model = new KMeans().setK(k).setSeed(seed).setMaxIter(maxIterations).setInitMode("k-means||")
        .setFeaturesCol(SparkVectors.FEATURES).fit(v.rows.select(SparkVectors.FEATURES));
    Vector[] centers = model.clusterCenters();
    double[][] out = new double[k][];
    for (int i = 0; i < k; i++) {
      // MLlib returns fewer centres when the data has fewer distinct points; the missing clusters start empty
      out[i] = centers[i < centers.length ? i : i % centers.length].toArray();
    }
    return new Centroids(out);
  }

  @Override
  public Assignment assign(Vectors x, Centroids centroids) {
    SparkVectors v = SparkVectors.of(x);
    if (centroids.dimension() != v.dimension()) {
      throw new IllegalArgumentException("centroids of " + centroids.dimension() + " coordinates for vectors of " + v.dimension());
    }
    Broadcast<double[][]> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(centroids.centers());
    Dataset<Row> rows = spark.createDataFrame(v.rows.javaRDD().map(r -> {
      double[] p = ((Vector) r.get(2)).toArray();
      return RowFactory.create(r.get(0), r.get(1), nearest(b.value(), p));
    }), SparkAssignment.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK_SER());
    long[] sizes = new long[centroids.k()];
    for (Row r : rows.groupBy(SparkAssignment.CLUSTER).count().collectAsList()) {
      sizes[r.getInt(0)] = r.getLong(1);
    }
    return new SparkAssignment(rows, sizes, centroids, v.labelled(), () -> b.destroy(false));
  }

  /** The index of the centroid nearest to {@code p} (squared Euclidean distance; ties to the lower index). */
  static int nearest(double[][] centers, double[] p) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < centers.length; i++) {
      double[] m = centers[i];
      double d = 0;
      for (int j = 0; j < p.length; j++) {
        double e = p[j] - m[j];
        d += e * e;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  @Override
  public double nmi(Assignment a, Assignment b) {
    Dataset<Row> x = SparkAssignment.of(a).rows.select(functions.col(SparkVectors.ID), functions.col(SparkAssignment.CLUSTER).as("a"));
    Dataset<Row> y = SparkAssignment.of(b).rows.select(functions.col(SparkVectors.ID), functions.col(SparkAssignment.CLUSTER).as("b"));
    return Nmi.of(contingency(x.join(y, SparkVectors.ID).groupBy("a", "b").count().collectAsList()));
  }

  @Override
  public double nmiWithLabels(Assignment a) {
    SparkAssignment s = SparkAssignment.of(a);
    if (!s.labelled) {
      throw new IllegalArgumentException("NMI against labels needs labelled records; these have none");
    }
    return Nmi.of(contingency(s.rows.where(functions.col(SparkVectors.LABEL).isNotNull())
        .groupBy(functions.col(SparkAssignment.CLUSTER).as("a"), functions.col(SparkVectors.LABEL).as("b")).count().collectAsList()));
  }

  /** A dense table of the {@code (a, b, count)} rows; classes are renumbered by their order. */
  private static long[][] contingency(List<Row> cells) {
    TreeMap<Integer, Integer> as = new TreeMap<>();
    TreeMap<Integer, Integer> bs = new TreeMap<>();
    for (Row r : cells) {
      as.putIfAbsent(r.getInt(0), 0);
      bs.putIfAbsent(r.getInt(1), 0);
    }
    int i = 0;
    for (Integer key : as.keySet()) {
      as.put(key, i++);
    }
    i = 0;
    for (Integer key : bs.keySet()) {
      bs.put(key, i++);
    }
    long[][] counts = new long[Math.max(1, as.size())][Math.max(1, bs.size())];
    for (Row r : cells) {
      counts[as.get(r.getInt(0))][bs.get(r.getInt(1))] += r.getLong(2);
    }
    return counts;
  }
}

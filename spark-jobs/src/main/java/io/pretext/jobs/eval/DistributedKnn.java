package io.pretext.jobs.eval;

import io.pretext.data.dataset.ImageRecords;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@link KnnClassifier} on Spark: the train features are collected to the driver, normalised into
 * one {@code float[N * D]} and broadcast; every test partition classifies its rows against them and
 * returns (correct, count), which add up exactly.
 *
 * <p>Memory assumption: the train features fit in the driver's and every executor's heap, once as
 * the broadcast matrix ({@code 4 N D} bytes: 60 000 x 128 = 30 MB, 60 000 x 784 raw pixels =
 * 190 MB) plus, on the driver, the collected rows while the matrix is built. Time:
 * {@code O(N_test * N_train * D)} multiply-adds, spread over the test partitions.
 */
public final class DistributedKnn {
  private DistributedKnn() {}

  /**
   * kNN accuracy of {@code test} against {@code train}, both with {@link Features#SCHEMA} and non-null labels.
   *
   * @return correct / count over the test rows
   */
  public static double accuracy(SparkSession spark, Dataset<Row> train, Dataset<Row> test, int k, double temperature) {
    KnnClassifier knn = fit(train, k, temperature);
    Broadcast<KnnClassifier> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(knn);
    try {
      long[] counts = test.select(Features.labelAndRepresentation()).javaRDD()
          .mapPartitions(new Score(model))
          .reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      return counts[0] / (double) counts[1];
    } finally {
      model.unpersist(false);
    }
  }

  /**
   * Collects {@code train} in record-id order and fits the classifier in the driver. The id order
   * makes neighbour ties (broken by row index, see {@link KnnClassifier}) independent of how the
   * data happens to be partitioned.
   */
  static KnnClassifier fit(Dataset<Row> train, int k, double temperature) {
    List<Row> rows = train.orderBy(ImageRecords.ID).select(Features.labelAndRepresentation()).collectAsList();
    float[][] features = new float[rows.size()][];
    int[] labels = new int[rows.size()];
    for (int i = 0; i < features.length; i++) {
      labels[i] = rows.get(i).getInt(0);
      features[i] = Features.floats(rows.get(i), 1);
    }
    return KnnClassifier.fit(features, labels, k, temperature);
  }

  /** Classifies one test partition: {@code {correct, count}}. */
  static final class Score implements FlatMapFunction<Iterator<Row>, long[]> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<KnnClassifier> model;

    Score(Broadcast<KnnClassifier> model) {
      this.model = model;
    }

    @Override
    public Iterator<long[]> call(Iterator<Row> rows) {
      KnnClassifier knn = model.value();
      long correct = 0;
      long count = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        if (knn.predict(Features.floats(r, 1)) == r.getInt(0)) {
          correct++;
        }
        count++;
      }
      return List.of(new long[] {correct, count}).iterator();
    }
  }
}

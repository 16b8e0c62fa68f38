package io.pretext.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.data.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The Spark kNN gives the in-memory classifier's accuracy, also with empty partitions and more partitions than rows. */
class DistributedKnnTest {

  static Dataset<Row> frame(SparkSession spark, float[][] x, int[] y, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create("id" + i, "src" + i, y[i], x[i]));
    }
    return spark.createDataFrame(rows, Features.SCHEMA).repartition(partitions);
  }

  @Test
  void matchesTheInMemoryClassifierAcrossPartitionings() {
    SparkSession spark = SharedSpark.get();
    Random r = new Random(11);
    float[][] train = KnnClassifierTest.gaussian(r, 40, 6);
    int[] trainLabels = r.ints(40, 0, 4).toArray();
    float[][] test = KnnClassifierTest.gaussian(r, 7, 6);
    int[] testLabels = r.ints(7, 0, 4).toArray();
    // The train set is collected in id order, not index order; that only matters for ties, and Gaussian data has none.
    double expected = KnnClassifier.fit(train, trainLabels, 5, 0.07).accuracy(test, testLabels);
    for (int partitions : new int[] {1, 3, 16}) {
      double got = DistributedKnn.accuracy(spark, frame(spark, train, trainLabels, 2), frame(spark, test, testLabels, partitions), 5, 0.07);
      assertEquals(expected, got, 1e-12, partitions + " partitions");
    }
  }

  @Test
  void featuresOfEmptyAndSparsePartitions() {
    SparkSession spark = SharedSpark.get();
    List<Row> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      records.add(RowFactory.create("id" + i, "src" + i, i, 1, 2, 2, new byte[] {0, (byte) 255, (byte) 51, (byte) i}));
    }
    Dataset<Row> df = spark.createDataFrame(records, io.pretext.data.dataset.ImageRecords.SCHEMA).repartition(8);
    List<Row> out = Features.of(spark, df, new PixelEncoder(1, 2, 2)).orderBy("id").collectAsList();
    assertEquals(3, out.size());
    float[] f = Features.floats(out.get(2), 3);
    assertEquals(0f, f[0]);
    assertEquals(1f, f[1]);
    assertEquals(0.2f, f[2], 1e-7f);
    assertEquals(2 / 255f, f[3], 1e-7f);
  }
}

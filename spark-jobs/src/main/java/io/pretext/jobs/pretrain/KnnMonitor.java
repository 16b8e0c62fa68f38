package io.pretext.jobs.pretrain;

import io.pretext.jobs.eval.DistributedKnn;
import io.pretext.jobs.eval.Features;
import io.pretext.jobs.eval.KnnClassifier;
import io.pretext.jobs.eval.LabeledData;
import io.pretext.jobs.eval.NetworkEncoder;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.data.dataset.ImageRecords;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Online kNN accuracy at the end of every epoch ({@code --monitor-labeled}): the labeled holdout is
 * split deterministically by record id (a fifth as queries, the rest as the kNN memory), encoded
 * on Spark with the current encoder, and scored with the InstDisc kNN (k 200, tau 0.07). A cheap
 * signal that the representation is improving, long before the final evaluation.
 */
public final class KnnMonitor implements RoundListener {
  private final SparkSession spark;
  private final LabeledData holdout;
  private final String vertex;
  private final int dimension;
  private final MetricsLog metrics;
  private final PrintWriter progress;

  public KnnMonitor(SparkSession spark, String holdoutUri, String vertex, int dimension, MetricsLog metrics, PrintWriter progress) {
    this.spark = spark;
    this.holdout = LabeledData.open(spark, "--monitor-labeled", holdoutUri);
    this.vertex = vertex;
    this.dimension = dimension;
    this.metrics = metrics;
    this.progress = progress;
  }

  @Override
  public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
    long t0 = System.nanoTime();
    NetworkEncoder encoder = NetworkEncoder.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), "trained", network,
        vertex, dimension, holdout.shape(), 256);
    try {
      Dataset<Row> features = Features.of(spark, holdout.records(spark), encoder).persist(StorageLevel.MEMORY_AND_DISK());
      Column query = functions.pmod(functions.xxhash64(functions.col(ImageRecords.ID)), functions.lit(5)).equalTo(0);
      double accuracy = DistributedKnn.accuracy(spark, features.filter(functions.not(query)), features.filter(query),
          KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE);
      features.unpersist();
      double seconds = (System.nanoTime() - t0) / 1e9;
      progress.printf(Locale.ROOT, "epoch %d: kNN accuracy on the labeled holdout %.4f (%.1f s)%n", epoch + 1, accuracy, seconds);
      progress.flush();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "knn");
      m.put("epoch", epoch);
      m.put("roundsDone", roundsDone);
      m.put("accuracy", accuracy);
      m.put("seconds", seconds);
      metrics.append(m);
    } finally {
      encoder.release();
    }
  }
}

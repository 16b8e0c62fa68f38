package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code pretext evaluate}: frozen-encoder evaluation on labeled data. Features of the train and test
 * datasets are computed on Spark ({@link Features}, the encoder broadcast to the executors), cached,
 * and scored with the {@link LinearProbe} and/or the {@link KnnClassifier} ({@link DistributedKnn}).
 */
public final class Evaluate {
  private Evaluate() {}

  /** {@link #run(SparkSession, EvaluateConfig, Consumer)} without progress lines. */
  public static EvaluationResult run(SparkSession spark, EvaluateConfig config) {
    return run(spark, config, line -> { });
  }

  /**
   * Runs the evaluation.
   *
   * @param progress receives one line per stage (no line terminator)
   * @throws DatasetException if a dataset is missing, incomplete, unlabeled, or does not fit the model
   */
  public static EvaluationResult run(SparkSession spark, EvaluateConfig config, Consumer<String> progress) {
    long start = System.nanoTime();
    LabeledData train = LabeledData.open(spark, "--train", config.train());
    LabeledData test = LabeledData.open(spark, "--test", config.test());
    if (!Arrays.equals(train.shape(), test.shape())) {
      throw new DatasetException("--train holds " + Arrays.toString(train.shape()) + " images but --test holds "
          + Arrays.toString(test.shape()) + " (C, H, W); prepare both the same way");
    }
    Checkpoint checkpoint = config.features() == FeatureKind.PIXELS ? null
        : RunDirectory.resolve(config.model(), spark.sparkContext().hadoopConfiguration());
    FeatureEncoder encoder = EncoderSource.of(spark, config.features(), checkpoint, train.shape(), config.seed(), config.batchSize());
    progress.accept(String.format("evaluate: encoder %s (%d-d)%s, train %s (%d records), test %s (%d records)", encoder.kind(), encoder.dimension(),
        config.model() == null || config.features() == FeatureKind.PIXELS ? "" : " from " + config.model(),
        train.uri(), train.size(), test.uri(), test.size()));
    Map<String, Double> results = new LinkedHashMap<>();
    Dataset<Row> trainFeatures = Features.of(spark, train.records(spark), encoder).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> testFeatures = Features.of(spark, test.records(spark), encoder).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long t = System.nanoTime();
      long nTrain = trainFeatures.count();
      long nTest = testFeatures.count();
      progress.accept(String.format("evaluate: features computed: %d train + %d test x %d (%.1f s)", nTrain, nTest, encoder.dimension(), secondsSince(t)));
      if (encoder instanceof NetworkEncoder n) {
        n.release();
      }
      if (config.protocol().linear()) {
        t = System.nanoTime();
        double acc = new LinearProbe(config.maxIter(), config.reg()).accuracy(trainFeatures, testFeatures);
        results.put("linear", acc);
        progress.accept(String.format("evaluate: linear probe accuracy %.4f (max-iter %d, reg %g; %.1f s)", acc, config.maxIter(), config.reg(), secondsSince(t)));
      }
      if (config.protocol().knn()) {
        t = System.nanoTime();
        double acc = DistributedKnn.accuracy(spark, trainFeatures, testFeatures, config.k(), config.knnTemperature());
        results.put("knn", acc);
        progress.accept(String.format("evaluate: kNN accuracy %.4f (k %d, tau %g; %.1f s)", acc, Math.min(config.k(), nTrain),
            config.knnTemperature(), secondsSince(t)));
      }
      return new EvaluationResult(encoder.kind(), checkpoint == null ? null : config.model(),
          checkpoint == null ? null : checkpoint.dir().toString(), checkpoint == null ? null : checkpoint.info().roundsDone(),
          encoder.dimension(), results, nTrain, nTest, secondsSince(start));
    } finally {
      trainFeatures.unpersist(false);
      testFeatures.unpersist(false);
    }
  }

  static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}

package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.model.DatasetKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code pretext evaluate}: frozen-encoder evaluation on labeled data. Features of the train and test
 * datasets are computed on Spark (the encoder broadcast to the executors; {@link Features} per image,
 * {@link TextFeatures} per text document: the mean of its windows' representations), cached, and scored with the
 * {@link LinearProbe} and/or the {@link KnnClassifier} ({@link DistributedKnn}). The baselines need no model: raw
 * pixels for images, {@link TfIdfFeatures} (linear probe only) for text.
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
    if (train.kind() != test.kind()) {
      throw new DatasetException("--train " + train.uri() + " holds " + train.kind() + " records but --test " + test.uri() + " holds "
          + test.kind() + " records; evaluate with two datasets of one kind");
    }
    List<String> trainNames = train.dataset().manifest().labelNames();
    List<String> testNames = test.dataset().manifest().labelNames();
    if (trainNames != null && testNames != null && !trainNames.isEmpty() && !testNames.isEmpty() && !trainNames.equals(testNames)) {
      // Named labels are indexed by rank among the names a dataset holds: a class missing on one side shifts the rest.
      throw new DatasetException("--train " + train.uri() + " has label names " + trainNames + " but --test " + test.uri() + " has "
          + testNames + "; the same index would mean different classes: split the corpus so that both hold every class");
    }
    boolean text = train.kind() == DatasetKind.TEXT;
    if (text && config.features() == FeatureKind.PIXELS) {
      throw new DatasetException("--features pixels is the baseline of image datasets, but --train " + train.uri()
          + " holds text; the text baseline is --features tfidf (with --protocol linear)");
    }
    if (!text && config.features() == FeatureKind.TFIDF) {
      throw new DatasetException("--features tfidf is the baseline of text datasets, but --train " + train.uri()
          + " holds images; the image baseline is --features pixels");
    }
    if (!text && !Arrays.equals(train.shape(), test.shape())) {
      throw new DatasetException("--train holds " + Arrays.toString(train.shape()) + " images but --test holds "
          + Arrays.toString(test.shape()) + " (C, H, W); prepare both the same way");
    }
    if (config.features() == FeatureKind.TFIDF) {
      return tfIdf(spark, config, train, test, progress, start);
    }
    Checkpoint checkpoint = config.features().baseline() ? null
        : RunDirectory.resolve(config.model(), spark.sparkContext().hadoopConfiguration());
    Dataset<Row> trainFeatures;
    Dataset<Row> testFeatures;
    String kind;
    int dimension;
    Runnable release;
    if (text) {
      Map<String, LabeledData> datasets = new LinkedHashMap<>();
      datasets.put("--train", train);
      datasets.put("--test", test);
      TextEncoder encoder = EncoderSource.text(spark, config.features(), checkpoint, datasets, config.seed(), config.batchSize());
      trainFeatures = TextFeatures.of(spark, train.records(spark), encoder);
      testFeatures = TextFeatures.of(spark, test.records(spark), encoder);
      kind = encoder.kind();
      dimension = encoder.dimension();
      release = encoder::release;
    } else {
      FeatureEncoder encoder = EncoderSource.of(spark, config.features(), checkpoint, train.shape(), config.seed(), config.batchSize());
      trainFeatures = Features.of(spark, train.records(spark), encoder);
      testFeatures = Features.of(spark, test.records(spark), encoder);
      kind = encoder.kind();
      dimension = encoder.dimension();
      release = encoder instanceof NetworkEncoder n ? n::release : () -> { };
    }
    progress.accept(String.format("evaluate: encoder %s (%d-d)%s, train %s (%d %s), test %s (%d %s)", kind, dimension,
        checkpoint == null ? "" : " from " + config.model(), train.uri(), train.size(), text ? "documents" : "records", test.uri(),
        test.size(), text ? "documents" : "records"));
    Map<String, Double> results = new LinkedHashMap<>();
    trainFeatures = trainFeatures.persist(StorageLevel.MEMORY_AND_DISK());
    testFeatures = testFeatures.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long t = System.nanoTime();
      long nTrain = trainFeatures.count();
      long nTest = testFeatures.count();
      progress.accept(String.format("evaluate: features computed: %d train + %d test x %d (%.1f s)", nTrain, nTest, dimension, secondsSince(t)));
      release.run();
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
      return new EvaluationResult(kind, checkpoint == null ? null : config.model(),
          checkpoint == null ? null : checkpoint.dir().toString(), checkpoint == null ? null : checkpoint.info().roundsDone(),
          dimension, results, nTrain, nTest, secondsSince(start));
    } finally {
      trainFeatures.unpersist(false);
      testFeatures.unpersist(false);
    }
  }

  /** The TF-IDF baseline of text datasets: {@link TfIdfFeatures} and the {@link LinearProbe} on sparse vectors. */
  private static EvaluationResult tfIdf(SparkSession spark, EvaluateConfig config, LabeledData train, LabeledData test,
      Consumer<String> progress, long start) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    Vocabulary vocabulary = train.dataset().vocabulary(conf);
    String testSha = test.dataset().vocabulary(conf).sha256();
    if (!vocabulary.sha256().equals(testSha)) {
      throw new DatasetException("--test " + test.uri() + " was tokenised with another vocabulary (vocab.txt SHA-256 " + testSha
          + ") than --train " + train.uri() + " (" + vocabulary.sha256() + "); prepare it with prepare-text --vocab "
          + new org.apache.hadoop.fs.Path(train.dataset().root(), train.dataset().text().vocabFile()));
    }
    progress.accept(String.format("evaluate: TF-IDF bag of words over %d WordPiece ids, train %s (%d documents), test %s (%d documents)",
        vocabulary.size(), train.uri(), train.size(), test.uri(), test.size()));
    long t = System.nanoTime();
    Dataset<Row>[] vectors = TfIdfFeatures.of(train.records(spark), test.records(spark), vocabulary.size());
    Dataset<Row> trainVectors = vectors[0].persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> testVectors = vectors[1].persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long nTrain = trainVectors.count();
      long nTest = testVectors.count();
      progress.accept(String.format("evaluate: features computed: %d train + %d test (%.1f s)", nTrain, nTest, secondsSince(t)));
      t = System.nanoTime();
      double acc = new LinearProbe(config.maxIter(), config.reg()).accuracyOnSparse(trainVectors, testVectors);
      progress.accept(String.format("evaluate: linear probe accuracy %.4f (max-iter %d, reg %g; %.1f s)", acc, config.maxIter(), config.reg(),
          secondsSince(t)));
      return new EvaluationResult(FeatureKind.TFIDF.toString(), null, null, null, vocabulary.size(), Map.of("linear", acc), nTrain, nTest,
          secondsSince(start));
    } finally {
      trainVectors.unpersist(false);
      testVectors.unpersist(false);
    }
  }

  static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}

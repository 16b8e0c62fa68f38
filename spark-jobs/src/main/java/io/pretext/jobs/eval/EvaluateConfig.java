package io.pretext.jobs.eval;

import static io.pretext.model.config.OptionCheck.require;

/**
 * Validated, immutable settings of {@code pretext evaluate}. Each check names the option, the value
 * and what is allowed. Defaults live in {@link io.pretext.jobs.cli.EvaluateCommand} and
 * {@link #defaults}.
 *
 * @param model run directory or checkpoint directory; may be null only for the baselines {@link FeatureKind#PIXELS} and
 *     {@link FeatureKind#TFIDF}
 * @param train labeled prepared dataset the classifiers are fitted on
 * @param test labeled prepared dataset they are scored on
 * @param protocol linear probe, kNN, or both
 * @param features trained, random (same architecture, fresh weights), pixels (images) or tfidf (text; linear probe only)
 * @param k kNN neighbours, &gt;= 1 (clamped to the train set size; default {@value KnnClassifier#DEFAULT_K})
 * @param knnTemperature kNN vote temperature tau &gt; 0 (default {@value KnnClassifier#DEFAULT_TEMPERATURE})
 * @param maxIter logistic-regression iterations (L-BFGS), 1..100000 (default 100)
 * @param reg logistic-regression L2 strength (Spark's regParam), &gt;= 0 (default 1e-4)
 * @param batchSize images or text windows per forward pass in the executors, 1..65536 (default 256)
 * @param seed weight-initialisation seed of {@link FeatureKind#RANDOM} (default 42)
 */
public record EvaluateConfig(String model, String train, String test, Protocol protocol, FeatureKind features, int k,
    double knnTemperature, int maxIter, double reg, int batchSize, long seed) {

  public EvaluateConfig {
    require(train != null && !train.isBlank(), "--train", train, "a labeled prepared dataset URI");
    require(test != null && !test.isBlank(), "--test", test, "a labeled prepared dataset URI");
    require(protocol != null, "--protocol", null, Protocol.ALLOWED);
    require(features != null, "--features", null, FeatureKind.ALLOWED);
    require(features.baseline() || (model != null && !model.isBlank()), "--model", model,
        "a run directory or checkpoint directory (required unless --features pixels or tfidf)");
    // kNN on TF-IDF would need the dense 8,000-wide vectors of every document in memory; its baseline is the probe.
    require(features != FeatureKind.TFIDF || protocol == Protocol.LINEAR, "--protocol", protocol,
        "linear with --features tfidf (the TF-IDF baseline is a linear probe; pass --protocol linear)");
    require(k >= 1, "--k", k, "an integer >= 1 (values above the train set size use every train point)");
    require(knnTemperature > 0 && knnTemperature <= 100 && Double.isFinite(knnTemperature), "--knn-temperature", knnTemperature,
        "a number in (0, 100]");
    require(maxIter >= 1 && maxIter <= 100_000, "--max-iter", maxIter, "an integer 1..100000");
    require(reg >= 0 && Double.isFinite(reg), "--reg", reg, "a finite number >= 0");
    require(batchSize >= 1 && batchSize <= 65_536, "--batch-size", batchSize, "an integer 1..65536");
  }

  /** The command's defaults for everything but the datasets, model, protocol and features. */
  public static EvaluateConfig defaults(String model, String train, String test, Protocol protocol, FeatureKind features) {
    return new EvaluateConfig(model, train, test, protocol, features, KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE,
        100, 1e-4, 256, 42);
  }

}

package io.pretext.jobs.cli;

import io.pretext.jobs.eval.Evaluate;
import io.pretext.jobs.eval.EvaluateConfig;
import io.pretext.jobs.eval.EvaluationResult;
import io.pretext.jobs.eval.Evaluations;
import io.pretext.jobs.eval.FeatureKind;
import io.pretext.jobs.eval.KnnClassifier;
import io.pretext.jobs.eval.Protocol;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext evaluate}: linear-probe and kNN accuracy of a frozen encoder on labeled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Scores a frozen encoder by linear probe and kNN.",
        "",
        "Computes frozen-encoder features of two labeled prepared datasets on Spark and reports top-1 test accuracy of",
        "a linear probe (standardised features, multinomial logistic regression) and/or a weighted kNN classifier (InstDisc:",
        "cosine similarity, k nearest train points vote with weight exp(sim / tau)). A text document's features are the mean",
        "of its windows' representations; text datasets must use the model's vocabulary. Baselines: --features random (same",
        "architecture, fresh weights), --features pixels (images: raw pixels) and --features tfidf (text: TF-IDF bag of",
        "words, linear probe only); the last two need no --model. With --model, the results are",
        "also recorded in the run directory (RUN/evaluations/, one JSON file per evaluation), where pretext report finds them."})
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--model", paramLabel = "URI", description = "Run directory (newest complete checkpoint) or checkpoint directory; required unless --features pixels or tfidf"
          + " (with pixels it only says where to record the results).")
  String model;

  @Option(names = "--train", required = true, paramLabel = "URI", description = "Labeled prepared dataset the classifiers are fitted on.")
  String train;

  @Option(names = "--test", required = true, paramLabel = "URI", description = "Labeled prepared dataset the accuracy is measured on.")
  String test;

  @Option(names = "--protocol", defaultValue = "both", description = "linear, knn or both (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--features", defaultValue = "trained",
      description = "Which features: trained (the checkpoint's encoder), random (its architecture, fresh weights), pixels (images)"
          + " or tfidf (text, with --protocol linear) (default: ${DEFAULT-VALUE}).")
  String features;

  @Option(names = "--k", defaultValue = "" + KnnClassifier.DEFAULT_K, description = "kNN neighbours; clamped to the train size (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--knn-temperature", defaultValue = "" + KnnClassifier.DEFAULT_TEMPERATURE, description = "kNN vote temperature tau (default: ${DEFAULT-VALUE}).")
  double knnTemperature;

  @Option(names = "--max-iter", defaultValue = "100", description = "Logistic-regression iterations (default: ${DEFAULT-VALUE}).")
  int maxIter;

  @Option(names = "--reg", defaultValue = "1e-4", description = "Logistic-regression L2 strength (default: ${DEFAULT-VALUE}).")
  double reg;

  @Option(names = "--batch-size", defaultValue = "256", description = "Images or text windows per forward pass in the executors (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "42", description = "Weight-initialisation seed of --features random (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    EvaluateConfig config = Commands.validated(spec, () -> new EvaluateConfig(model, train, test, Protocol.parse(protocol),
        FeatureKind.parse(features), k, knnTemperature, maxIter, reg, batchSize, seed));
    SparkSession spark = sparkOptions.session("pretext evaluate");
    java.io.PrintWriter err = spec.commandLine().getErr();
    EvaluationResult r = Evaluate.run(spark, config, line -> {
      err.println(line);
      err.flush();
    });
    Optional<org.apache.hadoop.fs.Path> recorded = Evaluations.recordInRun(config, r, spark.sparkContext().hadoopConfiguration());
    err.println(recorded.map(p -> "evaluate: recorded in " + p)
        .orElse("evaluate: not recorded (results are recorded in the run directory of --model; a checkpoint outside one has none)"));
    err.flush();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("features", r.features());
    fields.put("model", r.model());
    fields.put("checkpoint", r.checkpoint());
    fields.put("roundsDone", r.roundsDone());
    fields.put("dimension", r.dimension());
    fields.put("results", r.results());
    fields.put("train", r.train());
    fields.put("test", r.test());
    fields.put("seconds", r.seconds());
    fields.put("recorded", recorded.map(Object::toString).orElse(null));
    JsonLine.ok(spec.commandLine().getOut(), "evaluate", fields);
    return 0;
  }
}

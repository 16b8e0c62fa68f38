package io.pretext.jobs.demo;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.prep.PrepareConfig;
import io.pretext.data.prep.PrepareImagesJob;
import io.pretext.jobs.eval.Evaluate;
import io.pretext.jobs.generative.Reconstruct;
import io.pretext.jobs.generative.ReconstructConfig;
import io.pretext.jobs.eval.EvaluateConfig;
import io.pretext.jobs.eval.EvaluationResult;
import io.pretext.jobs.eval.Evaluations;
import io.pretext.jobs.eval.FeatureKind;
import io.pretext.jobs.eval.Protocol;
import io.pretext.jobs.pretrain.PretrainConfig;
import io.pretext.jobs.pretrain.PretrainJob;
import io.pretext.jobs.pretrain.ResumeMode;
import io.pretext.jobs.report.ReportConfig;
import io.pretext.jobs.report.RunReport;
import io.pretext.model.method.ImageSampler;
import io.pretext.model.method.Reconstructor;
import io.pretext.jobs.run.RunException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The demo the README runs: Fashion-MNIST's 60,000 training images prepared as an unlabeled
 * corpus, pretraining of the configured encoder with the configured method (SimCLR by default),
 * monitored every epoch on the labelled test images (kNN, and DeepCluster's NMI against the labels), then
 * linear-probe and kNN evaluation on the 10,000 test images against two baselines: raw pixels (linear probe) and the
 * same encoder with random weights. Labeled copies of the training and test sets are prepared for evaluation
 * only; pretraining never sees a label. The evaluations are recorded in the run directory, and the
 * run's report ({@code run/report.html}, neighbours queried from the test set) is written last.
 *
 * <p>Prepared datasets are reused when already complete (prepare-images is deterministic); one
 * that is missing or damaged is rebuilt, and the progress stream says which and why. The run
 * directory is replaced unless the pretraining configuration says to resume.
 */
public final class FashionMnistDemo {
  /** The labelled test images under the work directory: evaluation, the report's neighbours, and the run's monitor. */
  public static final String TEST_LABELED = "test-labeled";

  private FashionMnistDemo() {}

  /**
   * The results table (protocol accuracies per encoder), the pretraining summary and the run report.
   *
   * @param report the HTML report of the run ({@code work/run/report.html})
   */
  public record Result(Map<String, Map<String, Double>> results, PretrainJob.Result pretrain, Reconstruct.Result reconstruction, String report,
      double seconds) {}

  /**
   * @param source directory with Fashion-MNIST's four IDX files (Debian's dataset-fashion-mnist)
   * @param work working directory for the datasets and the run
   * @param config the pretraining job, on {@code work/corpus} into {@code work/run}
   * @param maxIter linear-probe iterations
   */
  public static Result run(SparkSession spark, String source, String work, PretrainConfig config, int maxIter, PrintWriter progress) {
    long start = System.nanoTime();
    String corpus = prepare(spark, source, "train-images-idx3-ubyte.gz", null, work + "/corpus", progress);
    String train = prepare(spark, source, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", work + "/train-labeled", progress);
    String test = prepare(spark, source, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", work + "/" + TEST_LABELED, progress);

    String run = config.run().run();
    Path runPath = new Path(run);
    if (config.run().resume() == ResumeMode.NEVER && HadoopFiles.exists(runPath, spark.sparkContext().hadoopConfiguration())) {
      try {
        HadoopFiles.fs(runPath, spark.sparkContext().hadoopConfiguration()).delete(runPath, true);
      } catch (IOException e) {
        throw new RunException("cannot clear the demo run directory " + run + ": " + e.getMessage(), e);
      }
    }
    progress.println("demo: pretraining " + config.method().name() + " / " + config.training().encoder() + " for "
        + config.training().epochs() + " epochs");
    PretrainJob.Result trained = PretrainJob.run(spark, config, progress, List.of());

    // Each evaluation is recorded in the run directory, where the report finds it.
    Function<EvaluateConfig, EvaluationResult> evaluate = c -> {
      EvaluationResult r = Evaluate.run(spark, c, line -> {
        progress.println(line);
        progress.flush();
      });
      Evaluations.recordInRun(c, r, spark.sparkContext().hadoopConfiguration());
      return r;
    };
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    long seed = config.training().seed();
    results.put("pixels", evaluate.apply(settings(run, train, test, Protocol.LINEAR, FeatureKind.PIXELS, maxIter, seed)).results());
    results.put("random", evaluate.apply(settings(run, train, test, Protocol.BOTH, FeatureKind.RANDOM, maxIter, seed)).results());
    results.put(config.method().name(), evaluate.apply(settings(run, train, test, Protocol.BOTH, FeatureKind.TRAINED, maxIter, seed)).results());
    Reconstruct.Result reconstruction = null;
    boolean reconstructs = config.method() instanceof Reconstructor;
    if (reconstructs || config.method() instanceof ImageSampler) {
      // a generative method's reconstructions of the test images, against PCA with as many components as its code, and
      // its generated samples, in the run directory, where the report shows the grid
      reconstruction = Reconstruct.run(spark, new ReconstructConfig(run, test, run + "/" + Reconstruct.GRID, 64,
          config.method() instanceof ImageSampler ? (reconstructs ? 32 : 64) : 0, reconstructs ? 8 : 0, ReconstructConfig.MAX_SCORE, reconstructs ? train : null, seed), progress);
    }
    progress.println("demo: writing the run report");
    RunReport.Result report = RunReport.write(spark, ReportConfig.defaults(run).withLabeled(test), line -> {
      progress.println(line);
      progress.flush();
    });
    return new Result(results, trained, reconstruction, report.output(), (System.nanoTime() - start) / 1e9);
  }

  private static EvaluateConfig settings(String model, String train, String test, Protocol protocol, FeatureKind kind, int maxIter,
      long seed) {
    EvaluateConfig d = EvaluateConfig.defaults(model, train, test, protocol, kind);
    return new EvaluateConfig(model, train, test, protocol, kind, d.k(), d.knnTemperature(), maxIter, d.reg(), d.batchSize(), seed);
  }

  private static String prepare(SparkSession spark, String source, String images, String labels, String out, PrintWriter progress) {
    try {
      PreparedDataset.open(out, spark);
      progress.println("demo: reusing " + out + " (complete)");
      return out;
    } catch (DatasetException unusable) {
      if (HadoopFiles.exists(new Path(out), spark.sparkContext().hadoopConfiguration())) {
        progress.println("demo: rebuilding " + out + ": " + unusable.getMessage());
      }
    }
    String imagePath = source + "/" + images;
    if (!HadoopFiles.exists(new Path(imagePath), spark.sparkContext().hadoopConfiguration())) {
      throw new DatasetException("Fashion-MNIST not found: " + imagePath + " is missing (apt-get install dataset-fashion-mnist, or --fashion-mnist DIR)");
    }
    PrepareImagesJob.run(spark, new PrepareConfig(imagePath, out, "idx", null, labels == null ? null : source + "/" + labels, false,
        null, null, 1, 0, PrepareConfig.DEFAULT_MAX_PIXELS, 16, 42, true));
    progress.println("demo: prepared " + out);
    return out;
  }

  /** The table printed at the end. */
  public static String table(Map<String, Map<String, Double>> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-24s %12s %12s%n", "Fashion-MNIST test", "linear probe", "kNN (k=200)"));
    for (Map.Entry<String, Map<String, Double>> e : results.entrySet()) {
      String name = switch (e.getKey()) {
        case "pixels" -> "raw pixels";
        case "random" -> "random-init encoder";
        default -> e.getKey() + " encoder";
      };
      sb.append(String.format(Locale.ROOT, "%-24s %12s %12s%n", name, fmt(e.getValue().get("linear")), fmt(e.getValue().get("knn"))));
    }
    return sb.toString();
  }

  /** The reconstruction error per pixel against PCA's, and the negative ELBO of a VAE. */
  public static String reconstructionTable(Reconstruct.Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-24s %12s %12s%n", "test reconstruction", "MSE / pixel", "-ELBO (nats)"));
    sb.append(String.format(Locale.ROOT, "%-24s %12.5f %12s%n", r.method() + " (code " + r.pcaComponents() + ")", r.mse(),
        r.negativeElbo() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.negativeElbo())));
    sb.append(String.format(Locale.ROOT, "%-24s %12.5f %12s%n", "PCA, " + r.pcaComponents() + " components", r.pcaMse(), "-"));
    sb.append("reconstructions: ").append(r.output()).append(System.lineSeparator());
    return sb.toString();
  }

  private static String fmt(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}

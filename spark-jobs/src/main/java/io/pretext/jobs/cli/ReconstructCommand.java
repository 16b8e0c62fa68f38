package io.pretext.jobs.cli;

import io.pretext.jobs.generative.Reconstruct;
import io.pretext.jobs.generative.ReconstructConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext reconstruct}: a generative run's reconstructions (and a VAE's samples) as a PNG, with their error. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
    description = {"Reconstructs images with a generative run and draws them.",
        "",
        "Needs a run of a generative method, one that reconstructs images ('pretext pretrain --help' lists the methods).",
        "",
        "Takes a fixed sample of --data (the records with the smallest id hashes, the same every time), writes a PNG of",
        "rows of inputs each above the row of their reconstructions (then, with --samples, images decoded from a VAE's",
        "prior), and reports the mean squared error per pixel (and a VAE's negative ELBO per image) on the first",
        "--score-images of the sample; with --pca-train, also the error of PCA with as many components as the run's code,",
        "fitted on those images. A table on stderr and one JSON line on stdout."})
public final class ReconstructCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--model", required = true, paramLabel = "URI",
      description = "Run directory (newest complete checkpoint) or checkpoint directory of a generative run.")
  String model;

  @Option(names = "--data", required = true, paramLabel = "URI", description = "Prepared image dataset to reconstruct (e.g. the test split).")
  String data;

  @Option(names = "--output", required = true, paramLabel = "PNG", description = "PNG file to write (any Hadoop URI).")
  String output;

  @Option(names = "--count", defaultValue = "64", description = "Images in the grid (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--samples", defaultValue = "0", description = "Images drawn from the prior of a method that has one (a VAE), below the reconstructions (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--score-images", defaultValue = "10000",
      description = "Images the errors are computed on, at most the dataset's (default: ${DEFAULT-VALUE}).")
  int scoreImages;

  @Option(names = "--pca-train", paramLabel = "URI",
      description = "Prepared image dataset to fit the PCA baseline on (e.g. the training split); none by default.")
  String pcaTrain;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the noise of a VAE's ELBO and samples (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    ReconstructConfig config = Commands.validated(spec, () -> new ReconstructConfig(model, data, output, count, samples, scoreImages,
        pcaTrain, seed));
    SparkSession spark = sparkOptions.session("pretext reconstruct");
    Reconstruct.Result result = Reconstruct.run(spark, config, spec.commandLine().getErr());
    Map<String, Object> fields = Reconstruct.fields(result);
    fields.put("seconds", (System.nanoTime() - t0) / 1e9);
    JsonLine.ok(spec.commandLine().getOut(), "reconstruct", fields);
    return 0;
  }
}

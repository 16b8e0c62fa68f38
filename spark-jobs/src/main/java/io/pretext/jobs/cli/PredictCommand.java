package io.pretext.jobs.cli;

import io.pretext.jobs.finetune.Predict;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext predict}: a fine-tuned classifier applied to a corpus. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Classifies a corpus with a fine-tuned model.",
        "",
        "--input is a prepared dataset, or a raw image corpus that is first prepared as prepare-images does (same reader,",
        "validation, quarantine and de-duplication; the model's channels and size) into OUTPUT/prepared, broken records",
        "listed with their reason in OUTPUT/prepared/quarantine and records of the same content predicted once, the others",
        "listed in OUTPUT/prepared/duplicates. OUTPUT/predictions gets per record: source, id, predicted class (and its",
        "name), its probability, and the top --top-k classes with theirs."})
public final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--model", required = true, paramLabel = "URI", description = "Run directory or checkpoint of pretext finetune.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "URI", description = "Prepared dataset, or raw image corpus (directory, IDX"
      + " file or Parquet).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "URI", description = "Directory to write.")
  String output;

  @Option(names = "--format", defaultValue = "parquet", description = "parquet, or json (JSON lines) for small outputs (default:"
      + " ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--input-format", defaultValue = "auto", description = "A raw corpus's format: auto, files, idx or parquet"
      + " (default: ${DEFAULT-VALUE}).")
  String inputFormat;

  @Option(names = "--glob", defaultValue = "*", description = "File-name filter of a raw directory tree (default: ${DEFAULT-VALUE}).")
  String glob;

  @Option(names = "--image-column", defaultValue = "image", description = "Binary image column of a raw Parquet corpus (default:"
      + " ${DEFAULT-VALUE}).")
  String imageColumn;

  @Option(names = "--top-k", defaultValue = "3", description = "Classes listed per record (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Override
  public Integer call() {
    Predict.Config config = Commands.validated(spec, () -> new Predict.Config(model, input, output, format, inputFormat, glob, imageColumn,
        topK, overwrite));
    SparkSession spark = sparkOptions.session("pretext predict");
    Predict.Result r = Predict.run(spark, config);
    spec.commandLine().getErr().printf("predict: %d records -> %s (%d quarantined, %d duplicates; %.1f s)%n", r.records(),
        r.predictions(), r.quarantined(), r.duplicates(), r.seconds()).flush();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("predictions", r.predictions());
    fields.put("records", r.records());
    fields.put("quarantined", r.quarantined());
    fields.put("duplicates", r.duplicates());
    fields.put("seconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "predict", fields);
    return 0;
  }
}

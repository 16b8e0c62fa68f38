package io.pretext.jobs.cli;

import io.pretext.jobs.eval.Embed;
import io.pretext.jobs.eval.EmbedConfig;
import io.pretext.jobs.eval.EmbedResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext embed}: the representation of every record, as Parquet or JSON lines. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = {"Writes the encoder's representations to Parquet.",
        "",
        "Writes one Parquet row (or JSON line, --format json) per image, or per text document, of a prepared dataset: id,",
        "source, label and the trained encoder's representation (array<float>, the run's representationDim; for text the",
        "mean of the document's windows' representations), computed on Spark. A text dataset must use the model's vocabulary."})
public final class EmbedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--model", required = true, paramLabel = "URI", description = "Run directory (newest complete checkpoint) or checkpoint directory.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "URI", description = "Prepared dataset (labels optional).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "URI", description = "Directory to write (Parquet, or JSON lines with --format json).")
  String output;

  @Option(names = "--format", defaultValue = "parquet", description = "parquet, or json (JSON lines: one object per record) for"
      + " readers without a Parquet library (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Option(names = "--batch-size", defaultValue = "256", description = "Images or text windows per forward pass in the executors (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() {
    EmbedConfig config = Commands.validated(spec, () -> new EmbedConfig(model, input, output, format, overwrite, batchSize));
    SparkSession spark = sparkOptions.session("pretext embed");
    EmbedResult r = Embed.run(spark, config);
    spec.commandLine().getErr().printf("embed: %d records x %d -> %s (%.1f s)%n", r.count(), r.dimension(), r.output(), r.seconds()).flush();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("output", r.output());
    fields.put("count", r.count());
    fields.put("dimension", r.dimension());
    fields.put("seconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "embed", fields);
    return 0;
  }
}

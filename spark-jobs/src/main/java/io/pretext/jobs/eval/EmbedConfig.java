package io.pretext.jobs.eval;

import io.pretext.model.config.OptionCheck;
import org.apache.hadoop.fs.Path;

/**
 * Validated, immutable settings of {@code pretext embed}.
 *
 * @param model run directory or checkpoint directory
 * @param input prepared dataset (labels optional)
 * @param output directory to write
 * @param format {@code parquet} (the default) or {@code json} (JSON lines, for readers without a Parquet library)
 * @param overwrite replace an existing output
 * @param batchSize images per forward pass in the executors, 1..65536 (default 256)
 */
public record EmbedConfig(String model, String input, String output, String format, boolean overwrite, int batchSize) {
  /** The output formats. */
  public static final java.util.List<String> FORMATS = java.util.List.of("parquet", "json");


  public EmbedConfig {
    OptionCheck.require(model != null && !model.isBlank(), "--model", model, "a run directory or checkpoint directory");
    OptionCheck.require(input != null && !input.isBlank(), "--input", input, "a prepared dataset URI");
    OptionCheck.require(output != null && !output.isBlank(), "--output", output, "a Hadoop URI or local path for the output");
    OptionCheck.require(!new Path(output).equals(new Path(input)), "--output", output, "a path different from --input");
    OptionCheck.require(FORMATS.contains(format), "--format", format, String.join(", ", FORMATS));
    OptionCheck.require(batchSize >= 1 && batchSize <= 65_536, "--batch-size", batchSize, "an integer 1..65536");
  }
}

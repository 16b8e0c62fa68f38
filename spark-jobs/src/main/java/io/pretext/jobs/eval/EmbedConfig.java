package io.pretext.jobs.eval;

import io.pretext.model.config.OptionCheck;
import org.apache.hadoop.fs.Path;

/**
 * Validated, immutable settings of {@code pretext embed}.
 *
 * @param model run directory or checkpoint directory
 * @param input prepared dataset (labels optional)
 * @param output Parquet directory to write
 * @param overwrite replace an existing output
 * @param batchSize images per forward pass in the executors, 1..65536 (default 256)
 */
public record EmbedConfig(String model, String input, String output, boolean overwrite, int batchSize) {

  public EmbedConfig {
    OptionCheck.require(model != null && !model.isBlank(), "--model", model, "a run directory or checkpoint directory");
    OptionCheck.require(input != null && !input.isBlank(), "--input", input, "a prepared dataset URI");
    OptionCheck.require(output != null && !output.isBlank(), "--output", output, "a Hadoop URI or local path for the Parquet output");
    OptionCheck.require(!new Path(output).equals(new Path(input)), "--output", output, "a path different from --input");
    OptionCheck.require(batchSize >= 1 && batchSize <= 65_536, "--batch-size", batchSize, "an integer 1..65536");
  }
}

package io.pretext.jobs.cli;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.prep.PrepareConfig;
import io.pretext.data.prep.PrepareImagesJob;
import io.pretext.data.prep.PrepareResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pretext prepare-images}: validate, deduplicate and shard an unlabeled image corpus. */
@Command(name = "prepare-images", mixinStandardHelpOptions = true,
    description = {"Prepares an image corpus as a sharded dataset.",
        "",
        "Reads an image corpus (directory trees of PNG/JPEG/BMP/GIF, IDX files, or Parquet with a binary column) from any Hadoop URI,",
        "quarantines broken records with a reason, drops exact duplicates, and writes deterministic Parquet shards with manifest.json and _SUCCESS."})
public final class PrepareImagesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--input", required = true, paramLabel = "URI", description = "Corpus: directory, IDX file, or Parquet (file://, hdfs://, s3a://, or a local path).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "URI", description = "Dataset directory to create.")
  String output;

  @Option(names = "--format", defaultValue = "auto", description = "auto, files, idx or parquet (default: ${DEFAULT-VALUE}; auto guesses from the name).")
  String format;

  @Option(names = "--glob", defaultValue = "*", description = "File-name filter for directory trees, e.g. '*.{png,jpg}' (default: ${DEFAULT-VALUE}: every file, so non-images are quarantined).")
  String glob;

  @Option(names = "--labels", paramLabel = "URI", description = "IDX label file matching an IDX image file (optional).")
  String labels;

  @Option(names = "--label-from-folder", description = "Label each file by its parent folder name.")
  boolean labelFromFolder;

  @Option(names = "--image-column", defaultValue = "image", description = "Binary column with encoded images (Parquet input; default: ${DEFAULT-VALUE}).")
  String imageColumn;

  @Option(names = "--label-column", description = "Integer label column (Parquet input, optional).")
  String labelColumn;

  @Option(names = "--channels", defaultValue = "1", description = "Output channels: 1 (gray) or 3 (RGB) (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--resize", defaultValue = "0", description = "Resize the shorter side to N then centre-crop N x N; 0 keeps sizes (default: ${DEFAULT-VALUE}).")
  int resize;

  @Option(names = "--max-pixels", defaultValue = "" + PrepareConfig.DEFAULT_MAX_PIXELS, description = "Largest width*height accepted, checked from the header before decoding (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(names = "--max-file-bytes", defaultValue = "" + PrepareConfig.DEFAULT_MAX_FILE_BYTES, description = "Largest input file read, checked against its listed size before reading; larger files are quarantined as oversized. Also bounds IDX gzip inflation and the label file (default: ${DEFAULT-VALUE}).")
  long maxFileBytes;

  @Option(names = "--shards", defaultValue = "16", description = "Number of output shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the shard assignment (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Override
  public Integer call() {
    PrepareConfig config = Commands.validated(spec, () -> new PrepareConfig(input, output, format, glob, labels, labelFromFolder,
        imageColumn, labelColumn, channels, resize, maxPixels, maxFileBytes, shards, seed, overwrite));
    SparkSession spark = sparkOptions.session("pretext prepare-images");
    PrepareResult result = PrepareImagesJob.run(spark, config);
    DatasetManifest m = result.manifest();
    spec.commandLine().getErr().printf("prepare-images: %d seen, %d accepted, %d duplicates, %d quarantined %s -> %s (%.1f s)%n",
        m.counts().seen(), m.counts().accepted(), m.counts().duplicates(), m.counts().quarantined(),
        m.counts().quarantinedByReason(), result.output(), result.elapsedMillis() / 1000.0);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("output", result.output());
    fields.put("counts", m.counts());
    fields.put("image", m.image());
    fields.put("shards", m.shards().size());
    fields.put("elapsedSeconds", result.elapsedMillis() / 1000.0);
    JsonLine.ok(spec.commandLine().getOut(), "prepare-images", fields);
    return 0;
  }
}

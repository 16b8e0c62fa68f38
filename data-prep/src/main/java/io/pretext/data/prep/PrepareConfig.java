package io.pretext.data.prep;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Validated, immutable settings of {@code prepare-images}. Every check names the option, the
 * value and what is allowed, so the CLI can report it before any Spark work starts.
 *
 * @param input any Hadoop URI: a directory tree, an IDX file, or Parquet
 * @param output dataset directory to create
 * @param format {@code auto}, {@code files}, {@code idx} or {@code parquet}
 * @param glob file-name filter for directory trees (Spark's {@code pathGlobFilter}), e.g. {@code *.png}
 * @param labels optional IDX label file (format idx)
 * @param labelFromFolder label each file by its parent folder name (format files)
 * @param imageColumn binary column holding encoded images (format parquet)
 * @param labelColumn optional integer label column (format parquet)
 * @param channels 1 or 3
 * @param resize shorter side then centre crop to this size; 0 keeps the original size
 * @param maxPixels largest accepted width * height, checked from the header before decoding
 * @param maxFileBytes largest input file read, checked against its listed size before any byte is read (larger
 *     files are quarantined as oversized); also the bound on an IDX file's gzip inflation and on the label file
 * @param shards number of output shards, 1..100000
 * @param seed salts the assignment of records to shards
 * @param overwrite replace an existing output
 */
public record PrepareConfig(
    String input,
    String output,
    String format,
    String glob,
    String labels,
    boolean labelFromFolder,
    String imageColumn,
    String labelColumn,
    int channels,
    int resize,
    long maxPixels,
    long maxFileBytes,
    int shards,
    long seed,
    boolean overwrite) implements Serializable {

  public static final long DEFAULT_MAX_PIXELS = 64L * 1024 * 1024;
  /** 256 MiB: far above any image of {@link #DEFAULT_MAX_PIXELS} pixels in a compressed format, and one task holds
   *  one such file at a time. */
  public static final long DEFAULT_MAX_FILE_BYTES = 256L * 1024 * 1024;
  /** The largest Java byte array, less a header: a file is read into one array. */
  public static final long MAX_FILE_BYTES_LIMIT = Integer.MAX_VALUE - 64;

  /** The settings with the default {@code maxFileBytes}. */
  public PrepareConfig(String input, String output, String format, String glob, String labels, boolean labelFromFolder,
      String imageColumn, String labelColumn, int channels, int resize, long maxPixels, int shards, long seed, boolean overwrite) {
    this(input, output, format, glob, labels, labelFromFolder, imageColumn, labelColumn, channels, resize, maxPixels,
        DEFAULT_MAX_FILE_BYTES, shards, seed, overwrite);
  }

  public PrepareConfig {
    require(input != null && !input.isBlank(), "--input", input, "a Hadoop URI (file://, hdfs://, s3a://) or a local path");
    require(output != null && !output.isBlank(), "--output", output, "a Hadoop URI or a local path");
    format = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
    require(format.equals("auto") || format.equals("files") || format.equals("idx") || format.equals("parquet"),
        "--format", format, "one of auto, files, idx, parquet");
    glob = glob == null || glob.isBlank() ? "*" : glob;
    require(channels == 1 || channels == 3, "--channels", channels, "1 (grayscale) or 3 (RGB)");
    require(resize >= 0 && resize <= 8192, "--resize", resize, "0 (keep the size) or a side length 1..8192");
    require(maxPixels >= 1, "--max-pixels", maxPixels, "an integer >= 1");
    require(maxFileBytes >= 1 && maxFileBytes <= MAX_FILE_BYTES_LIMIT, "--max-file-bytes", maxFileBytes,
        "an integer 1.." + MAX_FILE_BYTES_LIMIT + " (a file is read into one Java array)");
    require(shards >= 1 && shards <= 100_000, "--shards", shards, "an integer 1..100000");
    require(!Objects.equals(normalise(input), normalise(output)), "--output", output, "a path different from --input");
    imageColumn = imageColumn == null || imageColumn.isBlank() ? "image" : imageColumn;
  }

  /** The format to use: {@code format}, or for {@code auto} a guess from the input name. */
  public String resolvedFormat() {
    if (!format.equals("auto")) {
      return format;
    }
    String lower = input.toLowerCase(Locale.ROOT);
    if (lower.contains("-ubyte") || lower.endsWith(".idx") || lower.endsWith(".idx.gz")) {
      return "idx";
    }
    if (lower.endsWith(".parquet")) {
      return "parquet";
    }
    return "files";
  }

  /** The settings as recorded in the manifest (sorted keys, input/output excluded: they are the source and location). */
  public SortedMap<String, Object> asManifestMap() {
    SortedMap<String, Object> m = new TreeMap<>();
    m.put("format", resolvedFormat());
    m.put("glob", glob);
    m.put("labels", labels);
    m.put("labelFromFolder", labelFromFolder);
    m.put("imageColumn", imageColumn);
    m.put("labelColumn", labelColumn);
    m.put("channels", channels);
    m.put("resize", resize);
    m.put("maxPixels", maxPixels);
    m.put("maxFileBytes", maxFileBytes);
    m.put("shards", shards);
    return m;
  }

  private static String normalise(String uri) {
    return uri == null ? null : uri.replaceAll("/+$", "");
  }

}

package io.pretext.data.text;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.spark.SerializableHadoopConf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * Reads a text corpus into {@link RawDocument}s. Text and JSON Lines files are listed on the driver (recursively, the
 * {@code --glob} applied to file names, zero-byte files included) and read in the executors by {@link TextFileReader},
 * one task per group of files. Files whose name below the input starts with {@code .} or {@code _} (Hadoop's
 * {@code _SUCCESS}, {@code .crc}, {@code _temporary/}) are listed but not read: each becomes one quarantine entry with
 * reason {@link Reason#HIDDEN}, so they are counted in {@code seen} like every other file rather than skipped without a
 * trace. Parquet is read by
 * Spark, the text column as raw bytes ({@code cast(binary)}), so that invalid UTF-8 in it is caught too.
 *
 * <p>Schema and option problems (no files, a missing column, a label column of the wrong type) are reported as
 * {@link DatasetException} on the driver before any record is processed.
 */
public final class TextCorpusReader {
  /** Text and JSON Lines names: these extensions (after a compression extension) make {@code auto} choose JSONL. */
  private static final List<String> JSON_EXTENSIONS = List.of(".jsonl", ".json", ".ndjson");

  /**
   * The documents (hidden files among them as {@code hidden} quarantine entries), the format they were read as, the
   * files read and the hidden files listed but not read (both null for Parquet).
   */
  public record Corpus(JavaRDD<RawDocument> documents, TextFormat format, List<String> files, List<String> hidden) {}

  /** The files to read and the hidden ones, each sorted. */
  record Listing(List<String> files, List<String> hidden) {}

  private TextCorpusReader() {}

  public static Corpus read(SparkSession spark, PrepareTextConfig config) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    if (config.format() == TextFormat.PARQUET || (config.format() == TextFormat.AUTO && looksLikeParquet(config.input(), conf))) {
      return new Corpus(parquet(spark, config), TextFormat.PARQUET, null, null);
    }
    Listing listing = listFiles(config.input(), config.glob(), conf);
    List<String> files = listing.files();
    TextFormat format = config.format() == TextFormat.AUTO ? guess(files, conf) : config.format();
    if (format != TextFormat.JSONL && config.labelField() != null) {
      throw new DatasetException("--label-field " + config.labelField() + " needs JSON Lines input, but " + config.input()
          + " was read as " + format.optionValue() + "; pass --format jsonl");
    }
    if (config.labelColumn() != null) {
      throw new DatasetException("--label-column " + config.labelColumn() + " needs Parquet input, but " + config.input()
          + " was read as " + format.optionValue() + "; pass --format parquet");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
    SerializableHadoopConf hadoop = new SerializableHadoopConf(conf);
    DocSplit split = config.docSplit();
    long maxDocBytes = config.maxDocBytes();
    JavaRDD<RawDocument> docs = jsc.parallelize(files, slices)
        .flatMap(f -> TextFileReader.read(f, hadoop.get(), format, split, maxDocBytes));
    if (files.size() < jsc.defaultParallelism()) {
      // A file is read by one task; with fewer files than cores, spread the documents so validation uses every core.
      docs = docs.repartition(jsc.defaultParallelism());
    }
    if (!listing.hidden().isEmpty()) {
      List<RawDocument> hidden = listing.hidden().stream().map(TextCorpusReader::hiddenEntry).toList();
      docs = docs.union(jsc.parallelize(hidden, Math.max(1, Math.min(hidden.size(), jsc.defaultParallelism()))));
    }
    return new Corpus(docs, format, files, listing.hidden());
  }

  /** The quarantine entry of a hidden file, made on the driver: the file is never opened. */
  private static RawDocument hiddenEntry(String path) {
    return RawDocument.rejected(path, Reason.HIDDEN.key(), "a name below --input starting with '.' or '_' (Hadoop's "
        + "_SUCCESS, .crc, _temporary/): not read; name the file in --input to read it");
  }

  /**
   * The files under {@code input} (a file, a directory or a glob), sorted: directories recursively, names matching
   * {@code glob}; those with a hidden name ({@code .x}, {@code _x}) below the input, or under a hidden folder there,
   * go to {@link Listing#hidden()}. A file matched by {@code input} itself is never hidden.
   *
   * @throws DatasetException if no file to read matches (naming the hidden ones, if any)
   */
  static Listing listFiles(String input, String glob, Configuration conf) {
    Path in = new Path(input);
    GlobPattern names = new GlobPattern(glob);
    TreeSet<String> files = new TreeSet<>();
    TreeSet<String> hidden = new TreeSet<>();
    try {
      FileSystem fs = in.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(in);
      if (matches == null || matches.length == 0) {
        throw new DatasetException("--input " + input + " does not exist (or the pattern matches nothing)");
      }
      for (FileStatus m : matches) {
        if (!m.isDirectory()) {
          files.add(m.getPath().toString());
          continue;
        }
        int depth = m.getPath().depth();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          if (names.matches(f.getPath().getName())) {
            (hidden(f.getPath(), depth) ? hidden : files).add(f.getPath().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot list --input " + input + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new DatasetException("--input " + input + " holds no file matching --glob " + glob + (hidden.isEmpty() ? ""
          : " other than " + hidden.size() + " hidden ones, which are not read (names starting with '.' or '_', e.g. "
          + new Path(hidden.first()).getName() + "); name such a file in --input to read it"));
    }
    return new Listing(new ArrayList<>(files), new ArrayList<>(hidden));
  }

  /** A name below the input root that starts with '.' or '_' (Hadoop's hidden files: _SUCCESS, .crc, _temporary). */
  private static boolean hidden(Path p, int rootDepth) {
    for (Path q = p; q != null && q.depth() > rootDepth; q = q.getParent()) {
      String n = q.getName();
      if (n.startsWith(".") || n.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  /** JSON Lines when every file's name (without a compression extension) ends in .jsonl, .json or .ndjson; else text. */
  static TextFormat guess(List<String> files, Configuration conf) {
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    for (String f : files) {
      String name = new Path(f).getName().toLowerCase(Locale.ROOT);
      CompressionCodec codec = codecs.getCodec(new Path(f));
      if (codec != null) {
        name = CompressionCodecFactory.removeSuffix(name, codec.getDefaultExtension());
      }
      String bare = name;
      if (JSON_EXTENSIONS.stream().noneMatch(bare::endsWith)) {
        return TextFormat.TEXT;
      }
    }
    return TextFormat.JSONL;
  }

  private static boolean looksLikeParquet(String input, Configuration conf) {
    if (input.toLowerCase(Locale.ROOT).replaceAll("/+$", "").endsWith(".parquet")) {
      return true;
    }
    try {
      Path in = new Path(input);
      FileSystem fs = in.getFileSystem(conf);
      if (!fs.exists(in) || !fs.getFileStatus(in).isDirectory()) {
        return false;
      }
      boolean any = false;
      for (FileStatus f : fs.listStatus(in)) {
        String n = f.getPath().getName();
        if (n.startsWith(".") || n.startsWith("_")) {
          continue;
        }
        if (f.isDirectory() || !n.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
          return false;
        }
        any = true;
      }
      return any;
    } catch (IOException e) {
      return false;
    }
  }

  private static JavaRDD<RawDocument> parquet(SparkSession spark, PrepareTextConfig config) {
    if (config.labelField() != null) {
      throw new DatasetException("--label-field " + config.labelField() + " is for JSON Lines; for Parquet input use --label-column");
    }
    Dataset<Row> df;
    try {
      df = spark.read().parquet(config.input());
    } catch (RuntimeException e) {
      throw new DatasetException("--input " + config.input() + " cannot be read as Parquet: " + e.getMessage(), e);
    }
    DataType textType = field(df, config.textColumn(), "--text-column").dataType();
    if (!(textType instanceof StringType || textType instanceof BinaryType)) {
      throw new DatasetException("--text-column " + config.textColumn() + " has type " + textType.simpleString() + ", expected string (or UTF-8 binary)");
    }
    Column label = functions.lit(null).cast("string");
    boolean intLabels = false;
    if (config.labelColumn() != null) {
      DataType t = field(df, config.labelColumn(), "--label-column").dataType();
      intLabels = t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType || t instanceof LongType;
      if (!intLabels && !(t instanceof StringType)) {
        throw new DatasetException("--label-column " + config.labelColumn() + " has type " + t.simpleString() + ", expected a string or an integer type");
      }
      label = functions.col(config.labelColumn()).cast("string");
    }
    boolean labeled = config.labelColumn() != null;
    boolean ints = intLabels;
    String column = config.textColumn();
    Dataset<Row> rows = df.select(functions.col("_metadata.file_path"), functions.col("_metadata.row_index"),
        functions.col(column).cast("binary"), label);
    return rows.javaRDD().map(r -> {
      String source = r.getString(0) + "#" + r.getLong(1);
      if (r.isNullAt(2)) {
        return RawDocument.rejected(source, Reason.MISSING_FIELD.key(), "column '" + column + "' is null");
      }
      if (labeled && r.isNullAt(3)) {
        return RawDocument.rejected(source, Reason.MISSING_FIELD.key(), "the label column is null");
      }
      String l = labeled ? r.getString(3) : null;
      if (ints && l != null && !fitsInt(l)) {
        return RawDocument.rejected(source, Reason.BAD_LABEL.key(), "label " + l + " does not fit a 32-bit int");
      }
      if (labeled && !ints && l.isBlank()) {
        return RawDocument.rejected(source, Reason.BAD_LABEL.key(), "the label is blank");
      }
      return RawDocument.labeled(source, (byte[]) r.get(2), l, ints);
    });
  }

  private static boolean fitsInt(String decimal) {
    try {
      Integer.parseInt(decimal);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static StructField field(Dataset<Row> df, String name, String option) {
    for (StructField f : df.schema().fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new DatasetException(option + " " + name + " is not a column of the input; its columns are " + Arrays.toString(df.columns()));
  }
}

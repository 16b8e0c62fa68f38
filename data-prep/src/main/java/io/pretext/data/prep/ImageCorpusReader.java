package io.pretext.data.prep;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.image.IdxFile;
import io.pretext.data.image.RejectedImageException.Reason;
import io.pretext.data.spark.SerializableHadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;

/**
 * Reads the three supported inputs into {@link Candidate}s; decoding happens later, in
 * {@link RecordValidator}. Schema problems (a missing image column, a label file whose count does
 * not match) are reported as {@link DatasetException} before any record is processed.
 */
public final class ImageCorpusReader {

  /** The candidates plus the label names, when labels came from folder names. */
  public record Corpus(JavaRDD<Candidate> candidates, List<String> labelNames) {}

  private ImageCorpusReader() {}

  public static Corpus read(SparkSession spark, PrepareConfig config) {
    return switch (config.resolvedFormat()) {
      case "files" -> files(spark, config);
      case "idx" -> idx(spark, config);
      case "parquet" -> parquet(spark, config);
      default -> throw new IllegalStateException("unknown format " + config.resolvedFormat());
    };
  }

  /** A file of the input: its URI and the size its listing gave. A class, not a record: Kryo cannot set record fields. */
  static final class Listed implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final long length;

    Listed(String path, long length) {
      this.path = path;
      this.length = length;
    }

    String path() {
      return path;
    }

    long length() {
      return length;
    }
  }

  /**
   * Every file under {@code uri} whose name matches {@code glob}, sorted by path. Listed by Pretext on the driver
   * rather than by Spark's file index, which skips names beginning with {@code _} or {@code .} without a trace
   * ({@code _DSC0001.JPG} is a camera's image) and empty files: every listed file is read or quarantined, so the
   * counts cover every file. {@code uri} may be a file, a directory (recursive) or a Hadoop glob.
   */
  static List<Listed> list(String uri, String glob, Configuration conf) {
    Path root = new Path(uri);
    FileSystem fs = HadoopFiles.fs(root, conf);
    GlobFilter names;
    try {
      names = new GlobFilter(glob);
    } catch (IOException e) {
      throw new DatasetException("--glob " + glob + " is not a valid glob: " + e.getMessage(), e);
    }
    List<Listed> out = new ArrayList<>();
    try {
      FileStatus[] matches = fs.globStatus(root);
      if (matches == null || matches.length == 0) {
        throw new DatasetException("--input " + uri + " does not exist");
      }
      for (FileStatus match : matches) {
        if (!match.isDirectory()) {
          if (names.accept(match.getPath())) {
            out.add(new Listed(match.getPath().toString(), match.getLen()));
          }
          continue;
        }
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(match.getPath(), true);
        while (files.hasNext()) {
          LocatedFileStatus f = files.next();
          if (f.isFile() && names.accept(f.getPath())) {
            out.add(new Listed(f.getPath().toString(), f.getLen()));
          }
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot list --input " + uri + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(Listed::path));
    return out;
  }

  /**
   * The listed files spread over enough partitions for every core and about 64 MiB of file bytes each, in path
   * order. The file bytes are read later, in the executors, one file at a time ({@link #read}).
   */
  private static JavaRDD<Listed> distribute(SparkSession spark, List<Listed> files) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long bytes = files.stream().mapToLong(f -> Math.max(0, f.length())).sum();
    long bySize = bytes / (64L << 20) + 1;
    int slices = (int) Math.max(1, Math.min(files.size(), Math.max(2L * jsc.defaultParallelism(), bySize)));
    return jsc.parallelize(files, slices);
  }

  /**
   * The bytes of {@code file}, or a rejection: a file whose listed size exceeds {@code maxBytes} is quarantined as
   * oversized without being opened, so no file size can exhaust an executor or fail the job (Spark's
   * {@code binaryFile} source reads every file whole, and fails on files over 2 GiB). One array of the listed size
   * is allocated; a file that changed size since it was listed is quarantined.
   */
  static Candidate read(Listed file, Integer label, long maxBytes, Configuration conf) {
    if (file.length() > maxBytes) {
      return Candidate.rejected(file.path(), Reason.OVERSIZED.key(), oversized(file.length(), maxBytes));
    }
    Path p = new Path(file.path());
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      byte[] bytes = new byte[(int) file.length()];
      int n = in.readNBytes(bytes, 0, bytes.length);
      if (n < bytes.length || in.read() != -1) {
        return Candidate.rejected(file.path(), Reason.CORRUPT.key(), "the file changed size while it was read (listed with "
            + file.length() + " bytes); prepare again once the input is stable");
      }
      return Candidate.encoded(file.path(), label, bytes);
    } catch (IOException e) {
      return Candidate.rejected(file.path(), Reason.CORRUPT.key(), "cannot read the file: " + e.getMessage());
    }
  }

  static String oversized(long length, long maxBytes) {
    return "file of " + length + " bytes, more than --max-file-bytes " + maxBytes + "; not read";
  }

  private static Corpus files(SparkSession spark, PrepareConfig config) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<Listed> listed = list(config.input(), config.glob(), hadoop);
    SerializableHadoopConf conf = new SerializableHadoopConf(hadoop);
    long maxBytes = config.maxFileBytes();
    JavaRDD<Listed> files = distribute(spark, listed);
    if (!config.labelFromFolder()) {
      return new Corpus(files.map(f -> read(f, null, maxBytes, conf.get())), null);
    }
    List<String> names = listed.stream().map(f -> new Path(f.path()).getParent().getName()).distinct().sorted().toList();
    Map<String, Integer> index = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    return new Corpus(files.map(f -> read(f, index.get(new Path(f.path()).getParent().getName()), maxBytes, conf.get())), names);
  }

  private static Corpus idx(SparkSession spark, PrepareConfig config) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    long maxBytes = config.maxFileBytes();
    int[] labels = config.labels() == null ? null : labels(config.labels(), maxBytes, hadoop);
    Broadcast<int[]> bLabels = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(labels);
    SerializableHadoopConf conf = new SerializableHadoopConf(hadoop);
    JavaRDD<Candidate> rdd = distribute(spark, list(config.input(), "*", hadoop)).flatMap(f -> {
      Candidate c = read(f, null, maxBytes, conf.get());
      return (c.encoded == null ? List.of(c) : idxCandidates(f.path(), c.encoded, bLabels.value(), maxBytes)).iterator();
    });
    // One IDX file arrives as a single row: spread its records so validation runs on every core.
    int parallelism = spark.sparkContext().defaultParallelism();
    return new Corpus(rdd.repartition(Math.max(parallelism, 1)), null);
  }

  /** The labels of an IDX label file, read on the driver within {@code maxBytes}, compressed and inflated. */
  private static int[] labels(String uri, long maxBytes, Configuration conf) {
    Path path = new Path(uri);
    try {
      long length = HadoopFiles.fs(path, conf).getFileStatus(path).getLen();
      if (length > maxBytes) {
        throw new DatasetException("--labels " + uri + ": " + oversized(length, maxBytes));
      }
      IdxFile l = IdxFile.parse(HadoopFiles.readBytes(path, conf), maxBytes);
      if (l.dims().length != 1) {
        throw new DatasetException("--labels " + uri + " is not an IDX label file (it has " + l.dims().length + " dimensions, labels have 1)");
      }
      int[] labels = new int[l.completeCount()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = l.label(i);
      }
      return labels;
    } catch (IOException e) {
      throw new DatasetException("--labels " + uri + ": " + e.getMessage(), e);
    }
  }

  /** The records of one IDX image file; a malformed or truncated file yields quarantine entries, not an exception. */
  static List<Candidate> idxCandidates(String path, byte[] bytes, int[] labels, long maxBytes) {
    List<Candidate> out = new ArrayList<>();
    IdxFile idx;
    try {
      idx = IdxFile.parse(bytes, maxBytes);
    } catch (IdxFile.TooLargeException e) {
      out.add(Candidate.rejected(path, Reason.OVERSIZED.key(), "IDX file: " + e.getMessage()));
      return out;
    } catch (IOException | RuntimeException e) {
      out.add(Candidate.rejected(path, Reason.CORRUPT.key(), "IDX file: " + e.getMessage()));
      return out;
    }
    if (idx.dims().length != 3) {
      out.add(Candidate.rejected(path, Reason.CORRUPT.key(), "IDX file has dimensions " + Arrays.toString(idx.dims()) + ", images need 3"));
      return out;
    }
    if (labels != null && labels.length < idx.declaredCount()) {
      throw new DatasetException("label file has " + labels.length + " labels but " + path + " declares " + idx.declaredCount() + " images");
    }
    int complete = idx.completeCount();
    for (int i = 0; i < complete; i++) {
      out.add(Candidate.decoded(path + "#" + i, labels == null ? null : labels[i], idx.image(i)));
    }
    if (complete < idx.declaredCount()) {
      out.add(Candidate.rejected(path + "#" + complete, Reason.TRUNCATED.key(), "IDX file declares " + idx.declaredCount()
          + " images but only " + complete + " are complete; the rest of the file is missing"));
    }
    return out;
  }

  private static Corpus parquet(SparkSession spark, PrepareConfig config) {
    Dataset<Row> df = spark.read().parquet(config.input());
    StructField image = field(df, config.imageColumn(), "--image-column");
    if (!(image.dataType() instanceof BinaryType)) {
      throw new DatasetException("--image-column " + config.imageColumn() + " has type " + image.dataType().simpleString() + ", expected binary");
    }
    org.apache.spark.sql.Column label = functions.lit(null).cast("int");
    if (config.labelColumn() != null) {
      DataType t = field(df, config.labelColumn(), "--label-column").dataType();
      if (!(t instanceof IntegerType || t instanceof LongType || t instanceof ShortType)) {
        throw new DatasetException("--label-column " + config.labelColumn() + " has type " + t.simpleString() + ", expected an integer type");
      }
      label = functions.col(config.labelColumn()).cast("int");
    }
    Dataset<Row> rows = df.select(functions.input_file_name(), label, functions.col(config.imageColumn()));
    JavaRDD<Candidate> rdd = rows.javaRDD().map(r -> {
      byte[] bytes = r.isNullAt(2) ? new byte[0] : (byte[]) r.get(2);
      String digest = HexFormat.of().formatHex(io.pretext.data.dataset.Checksums.sha256().digest(bytes), 0, 8);
      return Candidate.encoded(r.getString(0) + "#sha256:" + digest, r.isNullAt(1) ? null : r.getInt(1), bytes);
    });
    return new Corpus(rdd, null);
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

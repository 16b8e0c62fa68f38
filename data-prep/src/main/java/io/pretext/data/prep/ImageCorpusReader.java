package io.pretext.data.prep;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.image.IdxFile;
import io.pretext.data.image.RejectedImageException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
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

  private static Dataset<Row> binaryFiles(SparkSession spark, String uri, String glob) {
    if (!HadoopFiles.exists(new Path(uri), spark.sparkContext().hadoopConfiguration()) && !uri.contains("*")) {
      throw new DatasetException("--input " + uri + " does not exist");
    }
    return spark.read().format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", glob)
        .load(uri)
        .select("path", "content");
  }

  private static Corpus files(SparkSession spark, PrepareConfig config) {
    Dataset<Row> files = binaryFiles(spark, config.input(), config.glob());
    List<String> empty = emptyFiles(files);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (!config.labelFromFolder()) {
      JavaRDD<Candidate> rdd = files.javaRDD().map(r -> Candidate.encoded(r.getString(0), null, (byte[]) r.get(1)));
      return new Corpus(withEmptyFiles(jsc, rdd, empty, null), null);
    }
    List<String> names = files.select(functions.regexp_extract(functions.col("path"), "([^/]+)/[^/]+$", 1).as("label"))
        .distinct().orderBy("label").collectAsList().stream().map(r -> r.getString(0)).toList();
    Map<String, Integer> index = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    Broadcast<Map<String, Integer>> bIndex = jsc.broadcast(index);
    JavaRDD<Candidate> rdd = files.javaRDD().map(r -> {
      String path = r.getString(0);
      String parent = new Path(path).getParent().getName();
      return Candidate.encoded(path, bIndex.value().get(parent), (byte[]) r.get(1));
    });
    return new Corpus(withEmptyFiles(jsc, rdd, empty, index), names);
  }

  /**
   * Zero-byte files matched by the input. Spark's file scan skips them without a trace, so they
   * are taken from the relation's file index (already listed on the driver) and quarantined.
   */
  static List<String> emptyFiles(Dataset<Row> files) {
    List<String> empty = new ArrayList<>();
    files.queryExecution().optimizedPlan().foreach(node -> {
      if (node instanceof LogicalRelation lr && lr.relation() instanceof HadoopFsRelation fs
          && fs.location() instanceof PartitioningAwareFileIndex index) {
        scala.collection.Iterator<FileStatus> it = index.allFiles().iterator();
        while (it.hasNext()) {
          FileStatus st = it.next();
          if (st.getLen() == 0) {
            empty.add(st.getPath().toString());
          }
        }
      }
      return scala.runtime.BoxedUnit.UNIT;
    });
    empty.sort(null);
    return empty;
  }

  private static JavaRDD<Candidate> withEmptyFiles(JavaSparkContext jsc, JavaRDD<Candidate> rdd, List<String> empty, Map<String, Integer> labels) {
    if (empty.isEmpty()) {
      return rdd;
    }
    List<Candidate> extra = new ArrayList<>();
    for (String path : empty) {
      extra.add(Candidate.encoded(path, labels == null ? null : labels.get(new Path(path).getParent().getName()), new byte[0]));
    }
    return rdd.union(jsc.parallelize(extra, 1));
  }

  private static Corpus idx(SparkSession spark, PrepareConfig config) {
    int[] labels = null;
    if (config.labels() != null) {
      try {
        IdxFile l = IdxFile.parse(HadoopFiles.readBytes(new Path(config.labels()), spark.sparkContext().hadoopConfiguration()));
        if (l.dims().length != 1) {
          throw new DatasetException("--labels " + config.labels() + " is not an IDX label file (it has " + l.dims().length + " dimensions, labels have 1)");
        }
        labels = new int[l.completeCount()];
        for (int i = 0; i < labels.length; i++) {
          labels[i] = l.label(i);
        }
      } catch (IOException e) {
        throw new DatasetException("--labels " + config.labels() + ": " + e.getMessage(), e);
      }
    }
    Broadcast<int[]> bLabels = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(labels);
    Dataset<Row> files = binaryFiles(spark, config.input(), "*");
    JavaRDD<Candidate> rdd = files.javaRDD().flatMap(r -> idxCandidates(r.getString(0), (byte[]) r.get(1), bLabels.value()).iterator());
    // One IDX file arrives as a single row: spread its records so validation runs on every core.
    int parallelism = spark.sparkContext().defaultParallelism();
    return new Corpus(rdd.repartition(Math.max(parallelism, 1)), null);
  }

  /** The records of one IDX image file; a malformed or truncated file yields quarantine entries, not an exception. */
  static List<Candidate> idxCandidates(String path, byte[] bytes, int[] labels) {
    List<Candidate> out = new ArrayList<>();
    IdxFile idx;
    try {
      idx = IdxFile.parse(bytes);
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

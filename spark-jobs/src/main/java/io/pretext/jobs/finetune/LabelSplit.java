package io.pretext.jobs.finetune;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DatasetWriter;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.ShardPartitioner;
import io.pretext.model.DatasetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * A labelled dataset split for fine-tuning, stratified and seeded: in every class the records are ordered by a hash of
 * (seed, id), the first {@code round(validationFraction x n_c)} (at least one when the fraction is above zero) become
 * the validation split, and of the rest the first {@code round(labelFraction x rest_c)} the training subset. So a 1% run
 * trains on the first 1% of the same order a 10% run draws its 10% from, and the same seed always gives the same
 * records. Both splits are written as prepared datasets (shards, manifest with the settings, {@code _SUCCESS}).
 *
 * @param train the training subset's directory
 * @param validation the validation split's directory
 * @param trainPerClass training records per class
 * @param validationPerClass validation records per class
 */
public record LabelSplit(String train, String validation, SortedMap<Integer, Long> trainPerClass,
    SortedMap<Integer, Long> validationPerClass) {

  /** Training records in all classes. */
  public long trainRecords() {
    return trainPerClass.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Validation records in all classes. */
  public long validationRecords() {
    return validationPerClass.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The splits {@link #write} wrote under {@code dir}, read back (a resumed run trains on them again). */
  public static LabelSplit open(SparkSession spark, String dir) {
    String trainDir = dir + "/train";
    String validationDir = dir + "/validation";
    return new LabelSplit(trainDir, validationDir, perClass(spark, trainDir), perClass(spark, validationDir));
  }

  private static SortedMap<Integer, Long> perClass(SparkSession spark, String uri) {
    SortedMap<Integer, Long> out = new TreeMap<>();
    for (Row r : PreparedDataset.open(uri, spark).records(spark).groupBy(ImageRecords.LABEL).count().collectAsList()) {
      out.put(r.getInt(0), r.getLong(1));
    }
    return out;
  }

  /**
   * How many of a class's {@code n} records each split takes.
   *
   * @return {@code {validation, train}}
   */
  static long[] sizes(long n, double labelFraction, double validationFraction) {
    long validation = validationFraction > 0 ? Math.max(1, Math.round(validationFraction * n)) : 0;
    long rest = Math.max(0, n - validation);
    return new long[] {validation, Math.min(rest, Math.round(labelFraction * rest))};
  }

  /**
   * Splits {@code source} and writes the splits under {@code dir} ({@code train/}, {@code validation/}).
   *
   * @throws DatasetException if a class would have no training example, naming the class and the fix
   */
  public static LabelSplit write(SparkSession spark, PreparedDataset source, String sourceUri, String sourceSha256, long seed,
      double labelFraction, double validationFraction, String dir) {
    Dataset<Row> records = source.records(spark);
    SortedMap<Integer, Long> perClass = new TreeMap<>();
    for (Row r : records.groupBy(ImageRecords.LABEL).count().collectAsList()) {
      perClass.put(r.getInt(0), r.getLong(1));
    }
    SortedMap<Integer, Long> validation = new TreeMap<>();
    SortedMap<Integer, Long> train = new TreeMap<>();
    List<String> empty = new ArrayList<>();
    perClass.forEach((label, n) -> {
      long[] s = sizes(n, labelFraction, validationFraction);
      validation.put(label, s[0]);
      train.put(label, s[1]);
      if (s[1] == 0) {
        empty.add(label + " (" + n + " records)");
      }
    });
    if (!empty.isEmpty()) {
      throw new DatasetException(String.format(Locale.ROOT, "--label-fraction %s leaves class %s without a training example (after"
          + " --validation-fraction %s); raise --label-fraction, or label more records of %s", labelFraction, String.join(", ", empty),
          validationFraction, empty.size() == 1 ? "that class" : "those classes"));
    }
    Column order = functions.xxhash64(functions.lit(seed), functions.col(ImageRecords.ID));
    Dataset<Row> ranked = records.withColumn("_rank",
        functions.row_number().over(Window.partitionBy(ImageRecords.LABEL).orderBy(order, functions.col(ImageRecords.ID))).minus(1));
    Dataset<Row> limits = spark.createDataFrame(perClass.keySet().stream()
        .map(l -> org.apache.spark.sql.RowFactory.create(l, validation.get(l), train.get(l))).toList(),
        new org.apache.spark.sql.types.StructType()
            .add("_label", org.apache.spark.sql.types.DataTypes.IntegerType)
            .add("_validation", org.apache.spark.sql.types.DataTypes.LongType)
            .add("_train", org.apache.spark.sql.types.DataTypes.LongType));
    Dataset<Row> joined = ranked.join(functions.broadcast(limits), ranked.col(ImageRecords.LABEL).equalTo(limits.col("_label")));
    Column rank = functions.col("_rank");
    Dataset<Row> val = joined.filter(rank.lt(functions.col("_validation")));
    Dataset<Row> tr = joined.filter(rank.geq(functions.col("_validation")).and(rank.lt(functions.col("_validation").plus(functions.col("_train")))));
    String trainDir = dir + "/train";
    String validationDir = dir + "/validation";
    Map<String, Object> settings = Map.of("label-fraction", labelFraction, "validation-fraction", validationFraction,
        "source-manifest-sha256", sourceSha256);
    writeSplit(spark, source, sourceUri, tr, "train", settings, seed, trainDir);
    writeSplit(spark, source, sourceUri, val, "validation", settings, seed, validationDir);
    return new LabelSplit(trainDir, validationDir, train, validation);
  }

  private static void writeSplit(SparkSession spark, PreparedDataset source, String sourceUri, Dataset<Row> rows, String split,
      Map<String, Object> settings, long seed, String out) {
    String[] columns = ImageRecords.SCHEMA.fieldNames();
    Column[] select = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      select[i] = functions.col(columns[i]);
    }
    DatasetManifest m = source.manifest();
    long expected = rows.count();
    int shards = (int) Math.max(1, Math.min(m.shards().size(), (expected + 4095) / 4096));
    JavaRDD<Row> sharded = rows.select(select).javaRDD().mapToPair(r -> new Tuple2<>(ImageRecords.id(r), r))
        .repartitionAndSortWithinPartitions(new ShardPartitioner(shards, seed)).values();
    DatasetWriter writer = DatasetWriter.open(spark, out, true);
    List<DatasetManifest.Shard> written = writer.writeShards(sharded, ImageRecords.SCHEMA, shards);
    long accepted = written.stream().mapToLong(DatasetManifest.Shard::records).sum();
    SortedMap<String, Object> config = new TreeMap<>(settings);
    config.put("split", split);
    DatasetManifest.Counts counts = DatasetManifest.Counts.counted("finetune " + split + " split", expected, accepted, 0, new TreeMap<>());
    writer.commit(new DatasetManifest(DatasetManifest.SCHEMA_VERSION, DatasetKind.IMAGE.manifestName(),
        new DatasetManifest.Source(sourceUri, "pretext-split", m.source() == null ? null : m.source().labels()), config, seed,
        m.image(), m.labelNames(), counts, written));
  }
}

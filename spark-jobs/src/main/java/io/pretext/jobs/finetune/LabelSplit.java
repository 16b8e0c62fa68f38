package io.pretext.jobs.finetune;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DatasetWriter;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.model.DatasetKind;
import io.pretext.model.batch.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A labelled dataset split for fine-tuning, stratified and seeded: in every class the records (for text, the documents,
 * whose windows go together) are ordered by a hash of (seed, id), the first {@code round(validationFraction x n_c)} (at least one when the fraction is above zero) become
 * the validation split, and of the rest the first {@code max(1, round(labelFraction x rest_c))} the training subset
 * (every class keeps at least one training example, as stratified sampling should; a class with nothing left after
 * the validation split is refused). So a 1% run
 * trains on the first 1% of the same order a 10% run draws its 10% from, and the same seed always gives the same
 * records. Both splits are written as prepared datasets of the source's kind (shards, manifest with the settings and,
 * for text, the source's tokenisation and {@code vocab.txt}, {@code _SUCCESS}).
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
    return perClass(units(PreparedDataset.open(uri, spark).records(spark)));
  }

  /** The units a split draws: the records, or for text the documents (id, label) whose windows go together. */
  private static Dataset<Row> units(Dataset<Row> records) {
    return records.select(ImageRecords.ID, ImageRecords.LABEL).distinct();
  }

  private static SortedMap<Integer, Long> perClass(Dataset<Row> units) {
    SortedMap<Integer, Long> out = new TreeMap<>();
    for (Row r : units.groupBy(ImageRecords.LABEL).count().collectAsList()) {
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
    return new long[] {validation, Math.min(rest, Math.max(1, Math.round(labelFraction * rest)))};
  }

  /**
   * Splits {@code source} and writes the splits under {@code dir} ({@code train/}, {@code validation/}).
   *
   * @throws DatasetException if a class would have no training example, naming the class and the fix
   */
  public static LabelSplit write(SparkSession spark, PreparedDataset source, String sourceUri, String sourceSha256, long seed,
      double labelFraction, double validationFraction, String dir) {
    // the split's shuffles (class counts, the per-class ranking, the joins) get as many partitions as the dataset has
    // shards, not Spark's 200: on 6,000 images the default cost 15 s of a fine-tuning run's 30 s of setup; the split
    // does not depend on it (ranks are ordered by (hash, id), the output is re-sharded and sorted)
    String key = "spark.sql.shuffle.partitions";
    String before = spark.conf().get(key);
    spark.conf().set(key, Integer.toString(Math.max(1, Math.min(Integer.parseInt(before), source.manifest().shards().size()))));
    try {
      return split(spark, source, sourceUri, sourceSha256, seed, labelFraction, validationFraction, dir);
    } finally {
      spark.conf().set(key, before);
    }
  }

  private static LabelSplit split(SparkSession spark, PreparedDataset source, String sourceUri, String sourceSha256, long seed,
      double labelFraction, double validationFraction, String dir) {
    Dataset<Row> records = source.records(spark);
    Dataset<Row> units = units(records).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    SortedMap<Integer, Long> perClass = perClass(units);
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
      throw new DatasetException(String.format(Locale.ROOT, "--label-fraction %s leaves class %s without a training example: the"
          + " --validation-fraction %s takes all it has; label more records of %s, or lower --validation-fraction", labelFraction,
          String.join(", ", empty), validationFraction, empty.size() == 1 ? "that class" : "those classes"));
    }
    Column order = functions.xxhash64(functions.lit(seed), functions.col(ImageRecords.ID));
    Dataset<Row> ranked = units.withColumn("_rank",
        functions.row_number().over(Window.partitionBy(ImageRecords.LABEL).orderBy(order, functions.col(ImageRecords.ID))).minus(1));
    Dataset<Row> limits = spark.createDataFrame(perClass.keySet().stream()
        .map(l -> org.apache.spark.sql.RowFactory.create(l, validation.get(l), train.get(l))).toList(),
        new org.apache.spark.sql.types.StructType()
            .add("_label", org.apache.spark.sql.types.DataTypes.IntegerType)
            .add("_validation", org.apache.spark.sql.types.DataTypes.LongType)
            .add("_train", org.apache.spark.sql.types.DataTypes.LongType));
    Dataset<Row> joined = ranked.join(functions.broadcast(limits), ranked.col(ImageRecords.LABEL).equalTo(limits.col("_label")));
    Column rank = functions.col("_rank");
    Dataset<Row> valIds = joined.filter(rank.lt(functions.col("_validation"))).select(ImageRecords.ID);
    Dataset<Row> trIds = joined.filter(rank.geq(functions.col("_validation")).and(rank.lt(functions.col("_validation").plus(functions.col("_train")))))
        .select(ImageRecords.ID);
    Dataset<Row> val = records.join(valIds, ImageRecords.ID);
    Dataset<Row> tr = records.join(trIds, ImageRecords.ID);
    String trainDir = dir + "/train";
    String validationDir = dir + "/validation";
    Map<String, Object> settings = Map.of("label-fraction", labelFraction, "validation-fraction", validationFraction,
        "source-manifest-sha256", sourceSha256);
    writeSplit(spark, source, sourceUri, tr, "train", settings, seed, trainDir);
    writeSplit(spark, source, sourceUri, val, "validation", settings, seed, validationDir);
    units.unpersist();
    return new LabelSplit(trainDir, validationDir, train, validation);
  }

  private static void writeSplit(SparkSession spark, PreparedDataset source, String sourceUri, Dataset<Row> rows, String split,
      Map<String, Object> settings, long seed, String out) {
    boolean text = source.kind() == DatasetKind.TEXT;
    StructType schema = text ? TextRecords.SCHEMA : ImageRecords.SCHEMA;
    String[] columns = schema.fieldNames();
    Column[] select = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      select[i] = functions.col(columns[i]);
    }
    DatasetManifest m = source.manifest();
    Dataset<Row> selected = rows.select(select).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    long selectedRows = selected.count();
    long expected = text ? selected.select(ImageRecords.ID).distinct().count() : selectedRows;
    int shards = (int) Math.max(1, Math.min(m.shards().size(), (selectedRows + 4095) / 4096));
    // shard by a hash of the id (a document's windows together), each shard sorted by id (and window), as prepare writes
    Column[] order = text ? new Column[] {functions.col(TextRecords.ID), functions.col(TextRecords.WINDOW)}
        : new Column[] {functions.col(ImageRecords.ID)};
    JavaRDD<Row> sharded = selected.repartition(shards, functions.col(ImageRecords.ID)).sortWithinPartitions(order).javaRDD();
    DatasetWriter writer = DatasetWriter.open(spark, out, true);
    List<DatasetManifest.Shard> written = writer.writeShards(sharded, schema, shards);
    long accepted = text ? spark.read().schema(schema).parquet(new Path(writer.root(), "shards").toString()).select(ImageRecords.ID).distinct()
        .count() : written.stream().mapToLong(DatasetManifest.Shard::records).sum();
    SortedMap<String, Object> config = new TreeMap<>(settings);
    config.put("split", split);
    DatasetManifest.Counts counts = DatasetManifest.Counts.counted("finetune " + split + " split", expected, accepted, 0, new TreeMap<>());
    DatasetManifest.TextSection section = null;
    if (text) {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      HadoopFiles.writeAtomically(new Path(writer.root(), Vocabulary.FILE_NAME), source.vocabulary(hadoop).toBytes(), hadoop);
      section = textSection(m.text(), selected, accepted);
    }
    selected.unpersist();
    writer.commit(new DatasetManifest(DatasetManifest.SCHEMA_VERSION, m.kind(),
        new DatasetManifest.Source(sourceUri, "pretext-split", m.source() == null ? null : m.source().labels()), config, seed,
        m.image(), section, m.labelNames(), counts, written));
  }

  /** The source's tokenisation with this split's statistics. */
  private static DatasetManifest.TextSection textSection(DatasetManifest.TextSection t, Dataset<Row> rows, long documents) {
    Row stats = rows.agg(functions.count(functions.lit(1)), functions.sum(TextRecords.LENGTH),
        functions.sum(functions.expr("size(filter(" + TextRecords.TOKENS + ", x -> x = " + TokenBatch.UNK_ID + "))")),
        functions.countDistinct(functions.when(functions.col(TextRecords.WINDOWS).gt(1), functions.col(TextRecords.ID)))).first();
    long sequences = stats.getLong(0);
    long tokens = stats.isNullAt(1) ? 0 : stats.getLong(1);
    long unknown = stats.isNullAt(2) ? 0 : stats.getLong(2);
    long textTokens = tokens - 2 * sequences; // labelled data is never packed: [CLS] and [SEP] once per sequence
    return new DatasetManifest.TextSection(t.tokenizer(), t.lowercase(), t.normalization(), t.seqLen(), t.packed(), t.vocabFile(),
        t.vocabSha256(), t.vocabSize(), t.vocabSource(), documents, stats.getLong(3), sequences, tokens, textTokens, unknown,
        textTokens == 0 ? 0 : (double) unknown / textTokens);
  }
}

package io.pretext.data.prep;

import io.pretext.data.dataset.Checksums;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.spark.SerializableHadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The {@code prepare-images} job. Order of work:
 *
 * <ol>
 *   <li>refuse an existing output unless overwrite is set;
 *   <li>read candidates and validate them in the executors (cached: every later step reuses them);
 *   <li>count outcomes (seen = accepted + duplicates + quarantined);
 *   <li>drop exact duplicates, keeping the lexicographically smallest source of each id;
 *   <li>partition by {@link ShardPartitioner} and sort by id within each shard, then write Parquet
 *       through Spark's Hadoop commit protocol into a staging directory and rename the part files to
 *       {@code shards/shard-NNNNN.parquet};
 *   <li>write quarantine and duplicate listings, checksum every shard in the executors, write the
 *       manifest, and finally {@code _SUCCESS}.
 * </ol>
 */
public final class PrepareImagesJob {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareImagesJob.class);
  private static final Pattern PART = Pattern.compile("part-(\\d{5})-.*\\.parquet");
  private static final StructType QUARANTINE_SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("detail", DataTypes.StringType, true);
  private static final StructType DUPLICATE_SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("duplicateOf", DataTypes.StringType, false)
      .add("id", DataTypes.StringType, false);

  private PrepareImagesJob() {}

  public static PrepareResult run(SparkSession spark, PrepareConfig config) {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path out = new Path(config.output());
    prepareOutput(out, config.overwrite(), hadoop);

    ImageCorpusReader.Corpus corpus = ImageCorpusReader.read(spark, config);
    RecordValidator validator = new RecordValidator(config.channels(), config.resize(), config.maxPixels());
    JavaRDD<Outcome> outcomes = corpus.candidates().map(validator::validate).persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      return write(spark, config, corpus, outcomes, out, hadoop, start);
    } finally {
      outcomes.unpersist(false);
    }
  }

  private static PrepareResult write(SparkSession spark, PrepareConfig config, ImageCorpusReader.Corpus corpus,
      JavaRDD<Outcome> outcomes, Path out, Configuration hadoop, long start) {
    // One pass for the accounting: quarantine reasons, and the geometry of accepted images.
    Map<String, Long> tally = outcomes.map(o -> o.isAccepted()
        ? "accepted:" + o.image().channels() + "x" + o.image().height() + "x" + o.image().width()
        : "quarantined:" + o.reason()).countByValue();
    long seen = 0;
    long valid = 0;
    SortedMap<String, Long> byReason = new TreeMap<>();
    List<String> geometries = new ArrayList<>();
    for (Map.Entry<String, Long> e : tally.entrySet()) {
      seen += e.getValue();
      if (e.getKey().startsWith("accepted:")) {
        valid += e.getValue();
        geometries.add(e.getKey().substring("accepted:".length()));
      } else {
        byReason.put(e.getKey().substring("quarantined:".length()), e.getValue());
      }
    }
    long quarantined = seen - valid;
    LOG.info("validated {} records: {} valid, {} quarantined {}", seen, valid, quarantined, byReason);

    JavaPairRDD<String, Outcome> byId = outcomes.filter(Outcome::isAccepted).mapToPair(o -> new Tuple2<>(o.id(), o));
    JavaPairRDD<String, Outcome> unique = byId.reduceByKey((a, b) -> a.source().compareTo(b.source()) <= 0 ? a : b);
    JavaPairRDD<String, Outcome> sharded = unique.repartitionAndSortWithinPartitions(new ShardPartitioner(config.shards(), config.seed()));
    JavaRDD<Row> rows = sharded.map(t -> ImageRecords.toRow(t._1(), t._2().source(), t._2().label(), t._2().image()));

    Path staging = new Path(out, "_staging");
    spark.createDataFrame(rows, ImageRecords.SCHEMA).write()
        .option("compression", "snappy")
        .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
        .mode(SaveMode.ErrorIfExists)
        .parquet(new Path(staging, "shards").toString());

    long[] perShard = moveShards(new Path(staging, "shards"), new Path(out, "shards"), config.shards(), hadoop);

    writeListings(spark, outcomes, byId, out);
    List<DatasetManifest.Shard> shards = checksumShards(spark, out, perShard, hadoop);
    long accepted = shards.stream().mapToLong(DatasetManifest.Shard::records).sum();
    long duplicates = valid - accepted;

    DatasetManifest.ImageGeometry geometry = null;
    if (geometries.size() == 1) {
      String[] g = geometries.get(0).split("x");
      geometry = new DatasetManifest.ImageGeometry(Integer.parseInt(g[0]), Integer.parseInt(g[1]), Integer.parseInt(g[2]));
    }
    DatasetManifest manifest = new DatasetManifest(
        DatasetManifest.SCHEMA_VERSION, "image",
        new DatasetManifest.Source(config.input(), config.resolvedFormat(), config.labels()),
        config.asManifestMap(), config.seed(), geometry, corpus.labelNames(),
        new DatasetManifest.Counts(seen, accepted, duplicates, quarantined, byReason),
        shards);
    try {
      HadoopFiles.fs(staging, hadoop).delete(staging, true);
    } catch (IOException e) {
      throw new DatasetException("cannot remove staging directory " + staging + ": " + e.getMessage(), e);
    }
    HadoopFiles.writeAtomically(new Path(out, DatasetManifest.FILE_NAME), manifest.toJson().getBytes(StandardCharsets.UTF_8), hadoop);
    // Written last: its presence is the promise that everything above is complete.
    HadoopFiles.writeAtomically(new Path(out, DatasetManifest.SUCCESS_MARKER), new byte[0], hadoop);
    return new PrepareResult(out.toString(), manifest, (System.nanoTime() - start) / 1_000_000);
  }

  private static void prepareOutput(Path out, boolean overwrite, Configuration hadoop) {
    FileSystem fs = HadoopFiles.fs(out, hadoop);
    try {
      if (fs.exists(out)) {
        FileStatus[] children = fs.isDirectory(out) ? fs.listStatus(out) : new FileStatus[] {fs.getFileStatus(out)};
        if (children.length > 0 && !overwrite) {
          throw new DatasetException("--output " + out + " already exists; pass --overwrite to replace it");
        }
        fs.delete(out, true);
      }
      fs.mkdirs(out);
    } catch (IOException e) {
      throw new DatasetException("cannot prepare --output " + out + ": " + e.getMessage(), e);
    }
  }

  /** Renames Spark's part files to shard names; returns the record count of each shard (0 where Spark wrote no file). */
  private static long[] moveShards(Path staging, Path shardsDir, int shards, Configuration hadoop) {
    FileSystem fs = HadoopFiles.fs(shardsDir, hadoop);
    long[] present = new long[shards];
    java.util.Arrays.fill(present, -1);
    try {
      fs.mkdirs(shardsDir);
      for (FileStatus st : fs.listStatus(staging)) {
        Matcher m = PART.matcher(st.getPath().getName());
        if (!m.matches()) {
          continue;
        }
        int index = Integer.parseInt(m.group(1));
        Path target = new Path(shardsDir, shardName(index));
        if (!fs.rename(st.getPath(), target)) {
          throw new IOException("rename " + st.getPath() + " -> " + target + " failed");
        }
        present[index] = 0;
      }
    } catch (IOException e) {
      throw new DatasetException("cannot move shards into " + shardsDir + ": " + e.getMessage(), e);
    }
    return present;
  }

  static String shardName(int index) {
    return String.format("shard-%05d.parquet", index);
  }

  private static void writeListings(SparkSession spark, JavaRDD<Outcome> outcomes, JavaPairRDD<String, Outcome> byId, Path out) {
    JavaRDD<Row> bad = outcomes.filter(o -> !o.isAccepted()).map(o -> RowFactory.create(o.source(), o.reason(), o.detail()));
    spark.createDataFrame(bad, QUARANTINE_SCHEMA).orderBy("source").coalesce(1).write()
        .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
        .json(new Path(out, "quarantine").toString());
    JavaRDD<Row> dups = byId.mapValues(Outcome::source).groupByKey().flatMap(t -> {
      List<String> sources = new ArrayList<>();
      t._2().forEach(sources::add);
      sources.sort(null);
      List<Row> r = new ArrayList<>();
      for (int i = 1; i < sources.size(); i++) {
        r.add(RowFactory.create(sources.get(i), sources.get(0), t._1()));
      }
      return r.iterator();
    });
    spark.createDataFrame(dups, DUPLICATE_SCHEMA).orderBy("source").coalesce(1).write()
        .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
        .json(new Path(out, "duplicates").toString());
  }

  /** Record count, size and SHA-256 of every shard, computed in the executors (the shards may be large and remote). */
  private static List<DatasetManifest.Shard> checksumShards(SparkSession spark, Path out, long[] present, Configuration hadoop) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < present.length; i++) {
      if (present[i] >= 0) {
        indices.add(i);
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableHadoopConf conf = new SerializableHadoopConf(hadoop);
    String root = out.toString();
    Map<Integer, String[]> stats = new TreeMap<>();
    if (!indices.isEmpty()) {
      int slices = Math.min(indices.size(), Math.max(1, jsc.defaultParallelism()));
      List<Tuple2<Integer, String[]>> rows = jsc.parallelize(indices, slices).map(i -> {
        Path p = new Path(new Path(root, "shards"), shardName(i));
        FileSystem fs = p.getFileSystem(conf.get());
        MessageDigest md = Checksums.sha256();
        long bytes = 0;
        try (InputStream in = fs.open(p)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
            bytes += n;
          }
        }
        long records = org.apache.parquet.hadoop.ParquetFileReader.readFooter(conf.get(), p).getBlocks().stream()
            .mapToLong(org.apache.parquet.hadoop.metadata.BlockMetaData::getRowCount).sum();
        return new Tuple2<>(i, new String[] {Long.toString(records), Long.toString(bytes), HexFormat.of().formatHex(md.digest())});
      }).collect();
      rows.forEach(t -> stats.put(t._1(), t._2()));
    }
    List<DatasetManifest.Shard> shards = new ArrayList<>();
    for (int i = 0; i < present.length; i++) {
      String[] s = stats.get(i);
      if (s == null) {
        shards.add(new DatasetManifest.Shard(i, null, 0, 0, null));
      } else {
        shards.add(new DatasetManifest.Shard(i, "shards/" + shardName(i), Long.parseLong(s[0]), Long.parseLong(s[1]), s[2]));
      }
    }
    return shards;
  }
}

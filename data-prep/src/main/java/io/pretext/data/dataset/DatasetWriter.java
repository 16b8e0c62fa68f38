package io.pretext.data.dataset;

import io.pretext.data.spark.SerializableHadoopConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Writes a prepared dataset with the commit protocol every prepare job shares, whatever the record kind:
 * <ol>
 *   <li>{@link #open}: the output directory is created (refused if it holds anything, unless overwriting);
 *   <li>{@link #writeShards}: records already partitioned one Spark partition per shard and sorted within it are
 *       written by Spark's Hadoop commit protocol into {@code _staging/}, then renamed to
 *       {@code shards/shard-NNNNN.parquet}; each shard's footer is made canonical ({@link ShardFooter}: parquet-mr
 *       orders a footer list by identity hash codes, so the same rows gave different bytes in different JVMs), then
 *       its record count, size and SHA-256 are computed in the executors;
 *   <li>{@link #writeQuarantine}, {@link #writeDuplicates}: the listings of rejected and duplicate records, as JSON
 *       lines sorted by source; their rows are counted on what was written, for the manifest's counts;
 *   <li>{@link #commit}: {@code _staging/} is removed, {@code manifest.json} written, and {@code _SUCCESS} written
 *       last, so that its presence promises that everything above is complete.
 * </ol>
 */
public final class DatasetWriter {
  /** Schema of {@code quarantine/}: where a rejected record came from, the reason code, and a human detail. */
  public static final StructType QUARANTINE_SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("detail", DataTypes.StringType, true);
  /** Schema of {@code duplicates/}: a dropped record's source, the source kept instead, and their shared id. */
  public static final StructType DUPLICATE_SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("duplicateOf", DataTypes.StringType, false)
      .add("id", DataTypes.StringType, false);

  private static final Pattern PART = Pattern.compile("part-(\\d{5})-.*\\.parquet");

  private final SparkSession spark;
  private final Configuration hadoop;
  private final Path out;

  private DatasetWriter(SparkSession spark, Path out) {
    this.spark = spark;
    this.hadoop = spark.sparkContext().hadoopConfiguration();
    this.out = out;
  }

  /**
   * Prepares {@code output} for a new dataset.
   *
   * @throws DatasetException if it exists and is not empty while {@code overwrite} is false, or cannot be created
   */
  public static DatasetWriter open(SparkSession spark, String output, boolean overwrite) {
    DatasetWriter writer = new DatasetWriter(spark, new Path(output));
    FileSystem fs = HadoopFiles.fs(writer.out, writer.hadoop);
    try {
      if (fs.exists(writer.out)) {
        FileStatus[] children = fs.isDirectory(writer.out) ? fs.listStatus(writer.out) : new FileStatus[] {fs.getFileStatus(writer.out)};
        if (children.length > 0 && !overwrite) {
          throw new DatasetException("--output " + writer.out + " already exists; pass --overwrite to replace it");
        }
        fs.delete(writer.out, true);
      }
      fs.mkdirs(writer.out);
    } catch (IOException e) {
      throw new DatasetException("cannot prepare --output " + writer.out + ": " + e.getMessage(), e);
    }
    return writer;
  }

  public Path root() {
    return out;
  }

  /** {@code shard-NNNNN.parquet}. */
  public static String shardName(int index) {
    return String.format("shard-%05d.parquet", index);
  }

  /**
   * Writes the shards and returns one entry per shard, in index order, empty shards included ({@code file} null).
   *
   * @param rows records in {@code shards} partitions, partition {@code i} holding shard {@code i} in its final order
   *     (e.g. {@code repartitionAndSortWithinPartitions(new ShardPartitioner(...))})
   */
  public List<DatasetManifest.Shard> writeShards(JavaRDD<Row> rows, StructType schema, int shards) {
    Path staging = new Path(new Path(out, "_staging"), "shards");
    spark.createDataFrame(rows, schema).write()
        .option("compression", "snappy")
        .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
        .mode(SaveMode.ErrorIfExists)
        .parquet(staging.toString());
    boolean[] present = moveShards(staging, new Path(out, "shards"), shards);
    return checksumShards(present);
  }

  /**
   * Writes {@code quarantine/} from rows with {@link #QUARANTINE_SCHEMA} and returns its rows by reason, counted on the
   * written listing.
   */
  public SortedMap<String, Long> writeQuarantine(JavaRDD<Row> rows) {
    Path dir = writeListing(rows, QUARANTINE_SCHEMA, "quarantine");
    SortedMap<String, Long> byReason = new TreeMap<>();
    for (Row r : spark.read().schema(QUARANTINE_SCHEMA).json(dir.toString()).groupBy("reason").count().collectAsList()) {
      byReason.put(r.getString(0), r.getLong(1));
    }
    return byReason;
  }

  /**
   * Writes {@code duplicates/}: of the records sharing an id, the one with the smallest source is kept, and every other
   * one is listed with the kept source. Returns the rows, counted on the written listing.
   *
   * @param sourcesById (id, source) of every accepted record, duplicates included
   */
  public long writeDuplicates(JavaPairRDD<String, String> sourcesById) {
    JavaRDD<Row> rows = sourcesById.groupByKey().flatMap(t -> {
      List<String> sources = new ArrayList<>();
      t._2().forEach(sources::add);
      sources.sort(null);
      List<Row> r = new ArrayList<>();
      for (int i = 1; i < sources.size(); i++) {
        r.add(RowFactory.create(sources.get(i), sources.get(0), t._1()));
      }
      return r.iterator();
    });
    Path dir = writeListing(rows, DUPLICATE_SCHEMA, "duplicates");
    return spark.read().schema(DUPLICATE_SCHEMA).json(dir.toString()).count();
  }

  /** Removes the staging directory, writes {@code manifest.json}, then {@code _SUCCESS}. */
  public void commit(DatasetManifest manifest) {
    Path staging = new Path(out, "_staging");
    try {
      HadoopFiles.fs(staging, hadoop).delete(staging, true);
    } catch (IOException e) {
      throw new DatasetException("cannot remove staging directory " + staging + ": " + e.getMessage(), e);
    }
    HadoopFiles.writeAtomically(new Path(out, DatasetManifest.FILE_NAME), manifest.toJson().getBytes(StandardCharsets.UTF_8), hadoop);
    // Written last: its presence is the promise that everything above is complete.
    HadoopFiles.writeAtomically(new Path(out, DatasetManifest.SUCCESS_MARKER), new byte[0], hadoop);
  }

  private Path writeListing(JavaRDD<Row> rows, StructType schema, String dir) {
    Path listing = new Path(out, dir);
    spark.createDataFrame(rows, schema).orderBy("source").coalesce(1).write()
        .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
        .json(listing.toString());
    return listing;
  }

  /** Renames Spark's part files to shard names; returns which shards have a file. */
  private boolean[] moveShards(Path staging, Path shardsDir, int shards) {
    FileSystem fs = HadoopFiles.fs(shardsDir, hadoop);
    boolean[] present = new boolean[shards];
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
        present[index] = true;
      }
    } catch (IOException e) {
      throw new DatasetException("cannot move shards into " + shardsDir + ": " + e.getMessage(), e);
    }
    return present;
  }

  /** Record count, size and SHA-256 of every shard, computed in the executors (the shards may be large and remote). */
  private List<DatasetManifest.Shard> checksumShards(boolean[] present) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < present.length; i++) {
      if (present[i]) {
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
        ShardFooter.canonicalise(fs, p); // the same bytes in every JVM (see ShardFooter)
        Checksums.FileDigest digest = Checksums.digest(fs, p);
        long records = ParquetFileReader.readFooter(conf.get(), p).getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
        return new Tuple2<>(i, new String[] {Long.toString(records), Long.toString(digest.bytes()), digest.sha256()});
      }).collect();
      rows.forEach(t -> stats.put(t._1(), t._2()));
    }
    List<DatasetManifest.Shard> shards = new ArrayList<>();
    for (int i = 0; i < present.length; i++) {
      String[] s = stats.get(i);
      shards.add(s == null
          ? new DatasetManifest.Shard(i, null, 0, 0, null)
          : new DatasetManifest.Shard(i, "shards/" + shardName(i), Long.parseLong(s[0]), Long.parseLong(s[1]), s[2]));
    }
    return shards;
  }
}

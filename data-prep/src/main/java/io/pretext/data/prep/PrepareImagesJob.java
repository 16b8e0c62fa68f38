package io.pretext.data.prep;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DatasetWriter;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.ShardPartitioner;
import io.pretext.model.DatasetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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
 *   <li>count the outcomes (seen);
 *   <li>drop exact duplicates, keeping the lexicographically smallest source of each id;
 *   <li>partition by {@link ShardPartitioner} and sort by id within each shard, then write the shards, the
 *       quarantine and duplicate listings, the manifest and finally {@code _SUCCESS} through the
 *       {@link DatasetWriter} every prepare job shares. Accepted, duplicates and quarantined are counted on what was
 *       written (shard records, listing rows), each on its own, and must add up to seen
 *       ({@link DatasetManifest.Counts#counted}).
 * </ol>
 */
public final class PrepareImagesJob {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareImagesJob.class);

  private PrepareImagesJob() {}

  public static PrepareResult run(SparkSession spark, PrepareConfig config) {
    long start = System.nanoTime();
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    HadoopFiles.requireApart("--output", config.output(), "--input", config.input(), hadoop);
    HadoopFiles.requireApart("--output", config.output(), "--labels", config.labels(), hadoop);
    DatasetWriter writer = DatasetWriter.open(spark, config.output(), config.overwrite());
    ImageCorpusReader.Corpus corpus = ImageCorpusReader.read(spark, config);
    RecordValidator validator = new RecordValidator(config.channels(), config.resize(), config.maxPixels());
    JavaRDD<Outcome> outcomes = corpus.candidates().map(validator::validate).persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      return write(config, corpus, outcomes, writer, start);
    } finally {
      outcomes.unpersist(false);
    }
  }

  private static PrepareResult write(PrepareConfig config, ImageCorpusReader.Corpus corpus, JavaRDD<Outcome> outcomes,
      DatasetWriter writer, long start) {
    // One pass over the outcomes: how many there are, and the geometry of accepted images.
    Map<String, Long> tally = outcomes.map(o -> o.isAccepted()
        ? "accepted:" + o.image().channels() + "x" + o.image().height() + "x" + o.image().width()
        : "quarantined").countByValue();
    long seen = tally.values().stream().mapToLong(Long::longValue).sum();
    List<String> geometries = new ArrayList<>();
    for (String key : tally.keySet()) {
      if (key.startsWith("accepted:")) {
        geometries.add(key.substring("accepted:".length()));
      }
    }

    JavaPairRDD<String, Outcome> byId = outcomes.filter(Outcome::isAccepted).mapToPair(o -> new Tuple2<>(o.id(), o));
    JavaPairRDD<String, Outcome> unique = byId.reduceByKey((a, b) -> a.source().compareTo(b.source()) <= 0 ? a : b);
    JavaPairRDD<String, Outcome> sharded = unique.repartitionAndSortWithinPartitions(new ShardPartitioner(config.shards(), config.seed()));
    JavaRDD<Row> rows = sharded.map(t -> ImageRecords.toRow(t._1(), t._2().source(), t._2().label(), t._2().image()));
    List<DatasetManifest.Shard> shards = writer.writeShards(rows, ImageRecords.SCHEMA, config.shards());

    // Each count on its own, from what was written: the identity seen = accepted + duplicates + quarantined is a check.
    SortedMap<String, Long> byReason = writer.writeQuarantine(
        outcomes.filter(o -> !o.isAccepted()).map(o -> RowFactory.create(o.source(), o.reason(), o.detail())));
    long duplicates = writer.writeDuplicates(byId.mapValues(Outcome::source));
    long accepted = shards.stream().mapToLong(DatasetManifest.Shard::records).sum();
    DatasetManifest.Counts counts = DatasetManifest.Counts.counted("prepare-images", seen, accepted, duplicates, byReason);
    LOG.info("validated {} records: {} accepted, {} duplicates, {} quarantined {}", seen, accepted, duplicates, counts.quarantined(),
        byReason);

    DatasetManifest.ImageGeometry geometry = null;
    if (geometries.size() == 1) {
      String[] g = geometries.get(0).split("x");
      geometry = new DatasetManifest.ImageGeometry(Integer.parseInt(g[0]), Integer.parseInt(g[1]), Integer.parseInt(g[2]));
    }
    DatasetManifest manifest = new DatasetManifest(
        DatasetManifest.SCHEMA_VERSION, DatasetKind.IMAGE.manifestName(),
        new DatasetManifest.Source(config.input(), config.resolvedFormat(), config.labels()),
        config.asManifestMap(), config.seed(), geometry, corpus.labelNames(),
        counts,
        shards);
    writer.commit(manifest);
    return new PrepareResult(writer.root().toString(), manifest, (System.nanoTime() - start) / 1_000_000);
  }
}

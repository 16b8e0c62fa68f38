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
import java.util.TreeMap;
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
 *   <li>count outcomes (seen = accepted + duplicates + quarantined);
 *   <li>drop exact duplicates, keeping the lexicographically smallest source of each id;
 *   <li>partition by {@link ShardPartitioner} and sort by id within each shard, then write the shards, the
 *       quarantine and duplicate listings, the manifest and finally {@code _SUCCESS} through the
 *       {@link DatasetWriter} every prepare job shares.
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
    List<DatasetManifest.Shard> shards = writer.writeShards(rows, ImageRecords.SCHEMA, config.shards());

    writer.writeQuarantine(outcomes.filter(o -> !o.isAccepted()).map(o -> RowFactory.create(o.source(), o.reason(), o.detail())));
    writer.writeDuplicates(byId.mapValues(Outcome::source).groupByKey().flatMap(t -> {
      List<String> sources = new ArrayList<>();
      t._2().forEach(sources::add);
      sources.sort(null);
      List<Row> r = new ArrayList<>();
      for (int i = 1; i < sources.size(); i++) {
        r.add(RowFactory.create(sources.get(i), sources.get(0), t._1()));
      }
      return r.iterator();
    }));
    long accepted = shards.stream().mapToLong(DatasetManifest.Shard::records).sum();
    long duplicates = valid - accepted;

    DatasetManifest.ImageGeometry geometry = null;
    if (geometries.size() == 1) {
      String[] g = geometries.get(0).split("x");
      geometry = new DatasetManifest.ImageGeometry(Integer.parseInt(g[0]), Integer.parseInt(g[1]), Integer.parseInt(g[2]));
    }
    DatasetManifest manifest = new DatasetManifest(
        DatasetManifest.SCHEMA_VERSION, DatasetKind.IMAGE.manifestName(),
        new DatasetManifest.Source(config.input(), config.resolvedFormat(), config.labels()),
        config.asManifestMap(), config.seed(), geometry, corpus.labelNames(),
        new DatasetManifest.Counts(seen, accepted, duplicates, quarantined, byReason),
        shards);
    writer.commit(manifest);
    return new PrepareResult(writer.root().toString(), manifest, (System.nanoTime() - start) / 1_000_000);
  }
}

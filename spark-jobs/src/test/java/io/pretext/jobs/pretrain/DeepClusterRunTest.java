package io.pretext.jobs.pretrain;

import static io.pretext.jobs.pretrain.Runs.crashAfter;
import static io.pretext.jobs.pretrain.Runs.latest;
import static io.pretext.jobs.pretrain.Runs.metrics;
import static io.pretext.jobs.pretrain.Runs.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeepCluster on the real pretrain path: every epoch the corpus is embedded on Spark, clustered with MLlib, written as
 * the epoch's per-record table in the run directory and trained on; the pseudo-labels travel with the batches (the
 * loss falls below chance on them); NMI is logged against the previous epoch and the labelled monitor; a run resumed
 * mid-epoch trains on the same pseudo-labels to exactly the same weights; older tables are deleted once no kept
 * checkpoint names them; options and datasets that cannot work are refused before anything is written.
 */
class DeepClusterRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path data;
  static Path monitor;
  static SparkSession spark;

  @BeforeAll
  static void corpus() throws IOException {
    spark = SharedSpark.get();
    data = TinyCorpus.prepare(tmp.resolve("corpus"), 240);
    monitor = TinyCorpus.prepareLabelled(tmp.resolve("monitor"), 90);
  }

  static PretrainConfig config(Path run, boolean resume, String... more) {
    return Runs.config(List.of("--method", "deepcluster", "--data", data.toString(), "--workers", "1", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--epochs", "2", "--lr", "2e-3", "--seed", "7", "--checkpoint-every", "3", "--keep-checkpoints",
        "2", "--clusters", "6", "--pca-dim", "8", "--kmeans-iterations", "10"), run, resume, more);
  }

  @Test
  void everyEpochClustersTheCorpusAndTrainsOnThePseudoLabels() throws IOException {
    Path run = tmp.resolve("basic");
    train(config(run, false, "--monitor", monitor.toString()), List.of());
    List<JsonNode> dc = metrics(run, "deepcluster");
    assertEquals(2, dc.size(), "one clustering per epoch");
    for (JsonNode n : dc) {
      assertEquals(6, n.path("clusters").asInt());
      assertEquals(6, n.path("nonEmpty").asInt(), "empty clusters are re-seeded: " + n);
      double nmi = n.path("nmiLabels").asDouble();
      assertTrue(nmi > 0.1 && nmi <= 1, "three shapes in six clusters: the clustering follows them, NMI " + nmi);
      for (String t : List.of("embedSeconds", "pcaSeconds", "kmeansSeconds", "tableSeconds")) {
        assertTrue(n.path(t).asDouble() >= 0, t);
      }
    }
    assertTrue(dc.get(0).path("nmiPrevious").isNull() || dc.get(0).path("nmiPrevious").isTextual(), "nothing before epoch 0");
    double consecutive = dc.get(1).path("nmiPrevious").asDouble();
    assertTrue(consecutive > 0 && consecutive <= 1, "NMI with the previous epoch " + consecutive);
    List<JsonNode> epochs = metrics(run, "epoch");
    assertEquals(2, epochs.size());
    assertTrue(epochs.get(0).path("methodSeconds").asDouble() > 0, "the clustering's time is in the epoch line");

    // the pseudo-labels reached the batches: within epoch 1 (7 rounds, a fresh classifier) the cross-entropy over the
    // 6 clusters falls, and ends well below chance (ln 6 = 1.79)
    List<JsonNode> rounds = metrics(run, "round");
    double first = rounds.get(7).path("loss").asDouble();
    double last = rounds.get(rounds.size() - 1).path("loss").asDouble();
    assertTrue(last < first - 0.1 && last < Math.log(6) - 0.2, "epoch 1's loss " + first + " -> " + last + ", chance " + Math.log(6));

    // the table of the last epoch: every record once, labels 0..5; the first epoch's is gone with its checkpoints
    Path state = run.resolve("state");
    try (Stream<Path> tables = Files.list(state)) {
      assertEquals(List.of("deepcluster-epoch-00001"), tables.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Row counts = spark.read().parquet(state.resolve("deepcluster-epoch-00001").toString())
        .agg(functions.count(functions.lit(1)), functions.countDistinct(functions.col("id")), functions.min("label"), functions.max("label"),
            functions.sum(functions.col("weight"))).first();
    assertEquals(240, counts.getLong(0));
    assertEquals(240, counts.getLong(1));
    assertTrue(counts.getInt(2) >= 0 && counts.getInt(3) <= 5);
    assertEquals(240, counts.getDouble(4), 1e-6, "weights sum to the corpus's size");
    assertEquals(java.util.Set.of("deepcluster-epoch-00001"), latest(run).stateTables(spark.sparkContext().hadoopConfiguration()));
  }

  @Test
  void resumedMidEpochItTrainsOnTheSamePseudoLabelsToTheSameWeights() {
    Path whole = tmp.resolve("whole");
    train(config(whole, false), List.of());
    Path cut = tmp.resolve("cut");
    assertThrows(RuntimeException.class, () -> train(config(cut, false), List.of(crashAfter(10))));
    assertEquals(9, latest(cut).info().roundsDone(), "inside epoch 1");
    train(config(cut, true), List.of());
    var conf = spark.sparkContext().hadoopConfiguration();
    assertArrayEquals(latest(whole).loadModel(conf).params().toFloatVector(), latest(cut).loadModel(conf).params().toFloatVector(), 0f);
  }

  @Test
  void clustersBeyondTheRecordsAnotherClusterCountOnResumeAndRecordsWithoutKeysAreRefused() throws IOException {
    Path many = tmp.resolve("many");
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> train(config(many, false, "--clusters", "300"),
        List.of()));
    assertTrue(k.getMessage().contains("--clusters") && k.getMessage().contains("240"), k.getMessage());
    assertFalse(Files.exists(many), "nothing written");

    Path run = tmp.resolve("recount");
    assertThrows(RuntimeException.class, () -> train(config(run, false), List.of(crashAfter(4))));
    RuntimeException r = assertThrows(RuntimeException.class, () -> train(config(run, true, "--clusters", "7"), List.of()));
    assertTrue(r.getMessage().contains("--clusters"), r.getMessage());

    // a dataset whose records lost their ids (a shard rewritten without them, its checksum dropped from the manifest)
    Path copy = tmp.resolve("no-ids");
    copyTree(data, copy);
    Path manifest = copy.resolve("manifest.json");
    com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(manifest.toFile());
    JsonNode shard = m.path("shards").get(0);
    String file = shard.path("file").asText();
    ((com.fasterxml.jackson.databind.node.ObjectNode) shard).remove(List.of("sha256", "bytes"));
    JSON.writeValue(manifest.toFile(), m);
    Path shardPath = copy.resolve(file);
    Path rewritten = tmp.resolve("rewritten");
    spark.read().parquet(shardPath.toString()).withColumn("id", functions.lit(null).cast("string")).coalesce(1).write().parquet(rewritten.toString());
    try (Stream<Path> parts = Files.list(rewritten)) {
      Files.copy(parts.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(), shardPath,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path keyless = tmp.resolve("keyless");
    PretrainConfig c = config(keyless, false);
    PretrainConfig onCopy = c.at(copy.toString(), keyless.toString());
    DatasetException d = assertThrows(DatasetException.class, () -> train(onCopy, List.of()));
    assertTrue(d.getMessage().contains("without an 'id' key"), d.getMessage());
    assertFalse(Files.exists(keyless), "nothing written");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (p.getFileName().toString().endsWith(".crc")) {
          continue; // Hadoop's local checksums: the copy is edited below
        }
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}

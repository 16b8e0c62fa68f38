package io.pretext.jobs.pretrain;

import static io.pretext.jobs.pretrain.Runs.crashAfter;
import static io.pretext.jobs.pretrain.Runs.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sync allreduce} through the whole job: with two workers a run trains exactly what {@code --sync driver}
 * trains (the ring's sum of two floats is the driver's), so the checkpoints, every round's logged loss and the
 * method's per-record tables must be equal. DeepCluster exercises what the engine must get right besides the rounds:
 * its epoch hook embeds the corpus with the driver's network (loaded from the workers' model at the epoch's end) and
 * resets the classifier (a change the workers must receive), and it joins its table to the records. A run that crashes
 * inside a segment resumes from the last checkpoint to the same weights.
 */
class AllReduceRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void corpus() throws IOException {
    SharedSpark.get();
    data = TinyCorpus.prepare(tmp.resolve("corpus"), 240);
  }

  /** 240 records / (2 workers x 16 x 2) = 3 rounds per epoch; checkpoints every 2 rounds: segments of 2, 1, 1, 2. */
  static PretrainConfig config(Path run, boolean resume, String sync) {
    return Runs.config(List.of("--method", "deepcluster", "--data", data.toString(), "--workers", "2", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--epochs", "2", "--lr", "2e-3", "--seed", "7", "--checkpoint-every", "2", "--keep-checkpoints",
        "5", "--clusters", "6", "--pca-dim", "8", "--kmeans-iterations", "10", "--sync", sync), run, resume);
  }

  @Test
  void allReduceTrainsWhatTheDriverTrains() throws IOException {
    Path driver = tmp.resolve("driver");
    Path ring = tmp.resolve("ring");
    train(config(driver, false, "driver"), List.of());
    PretrainJob.Result r = train(config(ring, false, "allreduce"), List.of());
    assertEquals(6, r.roundsDone());
    assertEquals(0, r.roundsRepeated());

    Configuration conf = SharedSpark.get().sparkContext().hadoopConfiguration();
    List<Checkpoint> a = new RunDirectory(driver.toString(), conf).checkpoints();
    List<Checkpoint> b = new RunDirectory(ring.toString(), conf).checkpoints();
    assertEquals(a.stream().map(c -> c.info().roundsDone()).toList(), b.stream().map(c -> c.info().roundsDone()).toList(),
        "checkpoints after the same rounds");
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).loadModel(conf).params().toFloatVector(), b.get(i).loadModel(conf).params().toFloatVector(), 0f,
          "weights after round " + a.get(i).info().roundsDone());
      assertEquals(a.get(i).info().iterations(), b.get(i).info().iterations());
    }
    List<Double> expected = losses(driver);
    List<Double> actual = losses(ring);
    assertEquals(6, actual.size());
    for (int i = 0; i < expected.size(); i++) { // the ring adds the workers' loss sums in float, the driver in double
      assertEquals(expected.get(i), actual.get(i), 1e-6, "round " + (i + 1) + "'s loss");
    }
    assertEquals(a.get(a.size() - 1).stateTables(conf), b.get(b.size() - 1).stateTables(conf));
    try (var staged = Files.list(ring.resolve("checkpoints"))) {
      assertEquals(List.of(), staged.filter(p -> p.getFileName().toString().startsWith(".tmp")).toList(),
          "every model the workers wrote became a checkpoint or was cleaned up");
    }
  }

  @Test
  void aRunCrashedInsideASegmentResumesToTheSameWeights() {
    Path whole = tmp.resolve("whole");
    train(config(whole, false, "allreduce"), List.of());
    Path cut = tmp.resolve("cut");
    assertThrows(RuntimeException.class, () -> train(config(cut, false, "allreduce"), List.of(crashAfter(5))));
    Configuration conf = SharedSpark.get().sparkContext().hadoopConfiguration();
    assertEquals(4, new RunDirectory(cut.toString(), conf).latest().orElseThrow().info().roundsDone());
    train(config(cut, true, "allreduce"), List.of());
    assertArrayEquals(new RunDirectory(whole.toString(), conf).latest().orElseThrow().loadModel(conf).params().toFloatVector(),
        new RunDirectory(cut.toString(), conf).latest().orElseThrow().loadModel(conf).params().toFloatVector(), 0f);
  }

  private static List<Double> losses(Path run) throws IOException {
    List<Double> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if ("round".equals(n.path("type").asText())) {
        out.add(n.path("loss").asDouble());
      }
    }
    return out;
  }
}

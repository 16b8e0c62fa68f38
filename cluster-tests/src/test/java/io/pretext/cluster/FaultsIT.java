package io.pretext.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults a cluster run must survive, each injected by killing a real process with SIGKILL: an executor in the middle
 * of pretraining, the driver in the middle of pretraining (then {@code --resume}), and {@code prepare-images} while
 * it writes (then a re-run with {@code --overwrite}, compared byte for byte with an uninterrupted preparation in
 * another JVM).
 */
class FaultsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
  static ClusterFixture fx;
  static FileSystem fs;
  static String hdfs;

  @BeforeAll
  static void corpus() {
    fx = ClusterFixture.get();
    fs = fx.hdfs.fs();
    hdfs = fx.hdfs.uri();
    Corpus.write(fs, new Path("/faults/corpus"), 288, 7);
  }

  /** 288 images / (2 workers x 16 x 2) = 4 rounds per epoch. */
  static List<String> pretrain(String data, String run, int epochs, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("pretrain", "--data", data, "--run", run, "--workers", "2",
        "--batch-size-per-worker", "16", "--averaging-frequency", "2", "--epochs", Integer.toString(epochs),
        "--projection-hidden", "32", "--projection-dim", "16", "--checkpoint-every", "3"));
    args.addAll(List.of(extra));
    return args;
  }

  static String dataset(String name) {
    String out = hdfs + "/faults/" + name;
    try {
      if (!fs.exists(new Path("/faults/" + name + "/_SUCCESS"))) {
        fx.submit().run("faults-prepare-" + name, JOB_TIMEOUT, "prepare-images", "--input", hdfs + "/faults/corpus", "--output", out,
            "--label-from-folder", "--shards", "3", "--overwrite").ok();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void anExecutorKilledMidRoundIsReplacedAndTheRunFinishes() throws IOException {
    String data = dataset("ds");
    Launched driver = fx.submit().start("faults-executor-kill", pretrain(data, hdfs + "/faults/run-exec", 3));
    await("round 2 of the run", () -> driver.err().contains("round 2/4"), driver);
    ProcessHandle executor = fx.cluster.worker(1).descendants("CoarseGrainedExecutorBackend").stream().findFirst()
        .orElseThrow(() -> new AssertionError("worker 1 runs no executor"));
    String environ = Files.readString(java.nio.file.Path.of("/proc/" + executor.pid() + "/environ"), StandardCharsets.ISO_8859_1);
    for (String variable : List.of("OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1", "MKL_NUM_THREADS=1", "SD_MAX_THREADS=1")) {
      assertTrue(environ.contains(variable + "\0"), "the executor's environment has " + variable);
    }
    await("round 3 to start", () -> driver.err().contains("round 3/4"), driver);
    executor.destroyForcibly(); // SIGKILL, mid-round
    int code = driver.waitFor(JOB_TIMEOUT);
    String err = driver.err();
    assertEquals(0, code, "the run finished after losing an executor:\n" + tail(err));
    assertTrue(err.contains("Lost executor") || err.contains("lost executor") || err.contains("Executor lost"),
        "the driver saw the executor go:\n" + tail(err));
    JsonNode r = JSON.readTree(driver.jsonLine().orElseThrow());
    assertEquals(12, r.path("roundsDone").asLong());
    List<String> rounds = ClusterPipelineIT.rounds(fs, "/faults/run-exec/metrics.jsonl");
    assertEquals(12, rounds.size());
    // the result is the last round's, trained after the loss, not a stale checkpoint's: its loss is round 12's as logged
    JsonNode last = JSON.readTree(rounds.get(11));
    assertEquals(12, last.path("roundsDone").asLong(), last.toString());
    assertEquals(last.path("loss").asDouble(), r.path("finalLoss").asDouble(Double.NaN), 1e-12, r + " / " + last);
    assertTrue(fs.exists(new Path("/faults/run-exec/checkpoints/round-000012/model.zip.sha256")));
  }

  /**
   * Under {@code --sync allreduce} the workers train a checkpoint interval in one barrier stage and average by a ring
   * all-reduce among themselves: an executor killed in the middle fails the whole stage (the survivor's all-reduce
   * fails on the dead peer's closed connection), Spark retries it once the master has replaced the executor, every task
   * restarts the interval from its start, and the run finishes, saying how many rounds it trained twice.
   */
  @Test
  void anExecutorKilledUnderAllReduceFailsTheBarrierStageWhichIsRetriedAndTheRunFinishes() throws IOException {
    String data = dataset("ds");
    Launched driver = fx.submit().start("faults-allreduce-kill", pretrain(data, hdfs + "/faults/run-allreduce", 3, "--sync", "allreduce",
        "--conf", "spark.pretext.allreduce.timeoutSeconds=60"));
    // checkpoints every 3 rounds: epoch 3 (rounds 9-12) trains rounds 10-12 in one stage; kill it after round 10 is reported
    await("epoch 3's second round", () -> driver.err().contains("epoch 3/3 round 2/4"), driver);
    ProcessHandle executor = fx.cluster.worker(1).descendants("CoarseGrainedExecutorBackend").stream().findFirst()
        .orElseThrow(() -> new AssertionError("worker 1 runs no executor"));
    executor.destroyForcibly();
    int code = driver.waitFor(JOB_TIMEOUT);
    String err = driver.err();
    assertEquals(0, code, "the run finished after losing an executor inside a barrier stage:\n" + tail(err));
    assertTrue(err.contains("trained again"), "the driver said which rounds it trained twice:\n" + tail(err));
    JsonNode r = JSON.readTree(driver.jsonLine().orElseThrow());
    assertEquals(12, r.path("roundsDone").asLong());
    assertEquals("allreduce", r.path("sync").asText());
    assertTrue(r.path("roundsRepeated").asLong() >= 1, "round 10 at least was trained again: " + r);
    List<String> rounds = ClusterPipelineIT.rounds(fs, "/faults/run-allreduce/metrics.jsonl");
    assertEquals(12, rounds.size(), "each round logged once, the retried ones included");
    JsonNode last = JSON.readTree(rounds.get(11));
    assertEquals(last.path("loss").asDouble(), r.path("finalLoss").asDouble(Double.NaN), 1e-12, r + " / " + last);
    assertTrue(fs.exists(new Path("/faults/run-allreduce/checkpoints/round-000012/model.zip.sha256")));
    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(new Path("/faults/run-allreduce/checkpoints"))) {
      assertFalse(st.getPath().getName().startsWith(".tmp"), "left behind: " + st.getPath());
    }
  }

  @Test
  void aDriverKilledMidRunResumesToExactlyTheConfiguredRounds() throws IOException {
    String data = dataset("ds");
    String run = hdfs + "/faults/run-driver";
    Launched first = fx.submit().start("faults-driver-kill", pretrain(data, run, 3));
    await("the checkpoint after round 6", () -> exists("/faults/run-driver/checkpoints/round-000006/run.json"), first);
    first.crash();
    assertFalse(exists("/faults/run-driver/checkpoints/round-000012"), "the run was killed before its end");
    // The lead's `--resume auto` will serve the first launch and every retry alike; `--resume` is the retry here.
    Submit.Result resumed = fx.submit()
        .run("faults-driver-resume", JOB_TIMEOUT, pretrain(data, run, 3, "--resume").toArray(String[]::new)).ok();
    JsonNode r = JSON.readTree(resumed.json());
    assertTrue(r.path("resumed").asBoolean(), resumed.json());
    assertEquals(12, r.path("roundsDone").asLong(), resumed.json());
    assertEquals(12, r.path("totalRounds").asLong(), resumed.json());
    List<String> metrics = ClusterPipelineIT.rounds(fs, "/faults/run-driver/metrics.jsonl");
    assertEquals(12, metrics.size(), "one line per round, none repeated:\n" + String.join("\n", metrics));
  }

  @Test
  void prepareKilledWhileWritingIsRefusedAndARerunEqualsAnUninterruptedRun() throws IOException {
    Launched killed = fx.submit().start("faults-prepare-killed", List.of("prepare-images", "--input", hdfs + "/faults/corpus",
        "--output", hdfs + "/faults/killed", "--label-from-folder", "--shards", "3"));
    await("prepare-images to start writing", () -> exists("/faults/killed/_staging"), killed);
    killed.crash();
    assertFalse(exists("/faults/killed/_SUCCESS"));

    Submit.Result refused = fx.submit().run("faults-pretrain-refused", JOB_TIMEOUT,
        pretrain(hdfs + "/faults/killed", hdfs + "/faults/run-refused", 1).toArray(String[]::new));
    assertEquals(1, refused.exitCode(), refused.json());
    assertTrue(refused.json().contains("incomplete") && refused.json().contains("_SUCCESS is missing")
        && refused.json().contains("--overwrite"), refused.json());

    fx.submit().run("faults-prepare-rerun", JOB_TIMEOUT, "prepare-images", "--input", hdfs + "/faults/corpus", "--output",
        hdfs + "/faults/killed", "--label-from-folder", "--shards", "3", "--overwrite").ok();
    dataset("ds"); // the uninterrupted preparation of the same input, in another JVM
    byte[] a = read("/faults/killed/manifest.json");
    byte[] b = read("/faults/ds/manifest.json");
    assertArrayEquals(b, a, "the same manifest (so --resume accepts the re-prepared dataset):\n" + new String(a, StandardCharsets.UTF_8)
        + "\n" + new String(b, StandardCharsets.UTF_8));
    JsonNode shards = JSON.readTree(a).path("shards");
    int compared = 0;
    for (JsonNode shard : shards) {
      if (!shard.path("file").isNull()) {
        assertArrayEquals(read("/faults/ds/" + shard.path("file").asText()), read("/faults/killed/" + shard.path("file").asText()),
            shard.path("file").asText());
        compared++;
      }
    }
    assertEquals(3, compared);
    assertNotEquals(0, JSON.readTree(a).path("counts").path("accepted").asLong());
  }

  static boolean exists(String path) {
    try {
      return fs.exists(new Path(path));
    } catch (IOException e) {
      return false;
    }
  }

  static byte[] read(String path) throws IOException {
    try (InputStream in = fs.open(new Path(path))) {
      return in.readAllBytes();
    }
  }

  /** Polls every 100 ms until {@code condition} holds; fails if the process ends first or after three minutes. */
  static void await(String what, BooleanSupplier condition, Launched process) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!condition.getAsBoolean()) {
      if (!process.process.isAlive()) {
        throw new AssertionError(process.name + " ended before " + what + ":\n" + tail(process.err()));
      }
      if (System.nanoTime() > deadline) {
        process.close();
        throw new AssertionError("timed out waiting for " + what + ":\n" + tail(process.err()));
      }
      StandaloneCluster.sleep(100);
    }
  }

  static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}

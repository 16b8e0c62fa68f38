package io.pretext.jobs.pretrain;

import static io.pretext.jobs.pretrain.Runs.crashAfter;
import static io.pretext.jobs.pretrain.Runs.latest;
import static io.pretext.jobs.pretrain.Runs.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.cli.PretrainCommand;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.train.RoundListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pretraining end to end on Spark local[2] with DL4J parameter averaging: a few hundred generated
 * images, a few rounds. Checks that the loss falls, the run directory's contents, and that resuming
 * from a checkpoint after a crash gives the parameters of an uninterrupted run.
 */
class PretrainJobTest {
  @TempDir static Path tmp;
  static Path data;
  static SparkSession spark;

  @BeforeAll
  static void data() throws IOException {
    spark = SharedSpark.get();
    data = TinyCorpus.prepare(tmp.resolve("corpus"), 240);
  }

  /** The test's SimCLR job, through the real command line; {@code more} options are appended (later ones win). */
  static PretrainConfig config(Path run, int workers, int epochs, boolean resume, String... more) {
    // 240 images / (workers x 16 x 2) = 7 rounds per epoch with one worker, 3 with two.
    List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--run", run.toString(), "--method", "simclr",
        "--encoder", "small-cnn", "--workers", "" + workers, "--batch-size-per-worker", "16", "--averaging-frequency", "2",
        "--epochs", "" + epochs, "--lr", "2e-3", "--weight-decay", "1e-4", "--optimizer", "adamw", "--warmup-epochs", "0.5",
        "--crop-scale-min", "0.3", "--jitter", "0.5", "--jitter-prob", "0.8", "--blur-prob", "0", "--seed", "7",
        "--checkpoint-every", "3", "--keep-checkpoints", "2"));
    if (!List.of(more).contains("--method")) {
      args.addAll(List.of("--temperature", "0.5", "--projection-hidden", "32", "--projection-dim", "16"));
    }
    if (resume) {
      args.add("--resume");
    }
    args.addAll(List.of(more));
    return PretrainCommand.configFrom(args.toArray(String[]::new));
  }

  @Test
  void lossFallsAndTheRunDirectoryIsComplete() throws IOException {
    Path run = tmp.resolve("run-basic");
    PretrainJob.Result r = train(config(run, 1, 3, false), List.of());
    assertEquals(21, r.roundsDone());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"type\":\"round\"")).toList();
    assertEquals(21, metrics.size());
    double first = loss(metrics.get(0)) + loss(metrics.get(1)) + loss(metrics.get(2));
    double last = loss(metrics.get(18)) + loss(metrics.get(19)) + loss(metrics.get(20));
    assertTrue(last < first - 0.1, "loss should fall: first rounds " + first / 3 + ", last rounds " + last / 3);

    RunDirectory dir = new RunDirectory(run.toString(), spark.sparkContext().hadoopConfiguration());
    List<Checkpoint> cps = dir.checkpoints();
    assertEquals(2, cps.size(), "keeps the newest 2");
    Checkpoint last1 = cps.get(1);
    assertEquals(21, last1.info().roundsDone());
    assertTrue(last1.info().complete());
    assertEquals(3, last1.info().epoch());
    assertEquals("small-cnn", last1.info().encoder());
    assertEquals(64, last1.info().datasetManifestSha256().length());
    assertEquals(21L * 2, last1.info().iterations());
    assertTrue(Files.exists(run.resolve("run.json")));
  }

  @Test
  void resumeAfterACrashEqualsAnUninterruptedRunWithOneWorker() {
    train(config(tmp.resolve("run-a"), 1, 2, false), List.of());
    ComputationGraph uninterrupted = latest(tmp.resolve("run-a")).loadModel(spark.sparkContext().hadoopConfiguration());

    Path b = tmp.resolve("run-b");
    RuntimeException crash = assertThrows(RuntimeException.class, () -> train(config(b, 1, 2, false), List.of(crashAfter(8))));
    assertEquals("injected crash", crash.getMessage());
    assertEquals(6, latest(b).info().roundsDone(), "checkpoints every 3 rounds: the newest complete one is round 6");
    PretrainJob.Result resumed = train(config(b, 1, 2, true), List.of());
    assertTrue(resumed.resumed());
    assertEquals(14, resumed.roundsDone());
    ComputationGraph afterResume = latest(b).loadModel(spark.sparkContext().hadoopConfiguration());

    assertArrayEquals(uninterrupted.params().toFloatVector(), afterResume.params().toFloatVector(), 0f,
        "one worker: resuming must reproduce the uninterrupted parameters exactly");
    INDArray u = uninterrupted.getUpdater().getStateViewArray();
    assertArrayEquals(u.toFloatVector(), afterResume.getUpdater().getStateViewArray().toFloatVector(), 0f);
    try {
      assertEquals(14, Files.readAllLines(b.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"type\":\"round\"")).count(),
          "metrics read as one run: no duplicated rounds");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void byolResumesExactlyWithOneWorkerTargetIncluded() {
    String[] byol = {"--method", "byol", "--projection-hidden", "32", "--projection-dim", "16", "--predictor-hidden", "32"};
    train(config(tmp.resolve("run-byol-a"), 1, 2, false, byol), List.of());
    ComputationGraph uninterrupted = latest(tmp.resolve("run-byol-a")).loadModel(spark.sparkContext().hadoopConfiguration());
    Path b = tmp.resolve("run-byol-b");
    assertThrows(RuntimeException.class, () -> train(config(b, 1, 2, false, byol), List.of(crashAfter(8))));
    train(config(b, 1, 2, true, byol), List.of());
    ComputationGraph resumed = latest(b).loadModel(spark.sparkContext().hadoopConfiguration());
    assertEquals("byol", latest(b).info().method());
    assertArrayEquals(uninterrupted.params().toFloatVector(), resumed.params().toFloatVector(), 0f,
        "one worker: the online network and the target must match the uninterrupted run exactly");
  }

  @Test
  void twoWorkersResumeWithinTolerance() {
    ComputationGraph a = trainAndLoad(tmp.resolve("run-2a"), List.of());
    Path b = tmp.resolve("run-2b");
    assertThrows(RuntimeException.class, () -> train(config(b, 2, 2, false), List.of(crashAfter(4))));
    train(config(b, 2, 2, true), List.of());
    ComputationGraph resumed = latest(b).loadModel(spark.sparkContext().hadoopConfiguration());
    float[] x = a.params().toFloatVector();
    float[] y = resumed.params().toFloatVector();
    double maxDiff = 0;
    for (int i = 0; i < x.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
    }
    // Two workers run in parallel threads; their results are summed in a fixed tree, and each
    // worker's arithmetic is deterministic, so the stated tolerance is tight.
    assertTrue(maxDiff <= 1e-5, "max parameter difference " + maxDiff);
  }

  private ComputationGraph trainAndLoad(Path run, List<RoundListener> extra) {
    train(config(run, 2, 2, false), extra);
    return latest(run).loadModel(spark.sparkContext().hadoopConfiguration());
  }

  @Test
  void existingRunIsRefusedWithoutResume() {
    Path run = tmp.resolve("run-basic-2");
    train(config(run, 2, 1, false), List.of());
    RunException e = assertThrows(RunException.class, () -> train(config(run, 2, 1, false), List.of()));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
  }

  @Test
  void resumeWithDifferentSettingsIsRefused() {
    Path run = tmp.resolve("run-mismatch");
    assertThrows(RuntimeException.class, () -> train(config(run, 1, 2, false), List.of(crashAfter(4))));
    RunException e = assertThrows(RunException.class, () -> train(config(run, 2, 2, true), List.of()));
    assertTrue(e.getMessage().contains("--workers: 1 in the checkpoint, 2 now"), e.getMessage());
  }

  @Test
  void tooFewImagesForOneRoundIsAClearError() {
    PretrainConfig c = config(tmp.resolve("run-big"), 2, 1, false, "--batch-size-per-worker", "256", "--averaging-frequency", "5");
    DatasetException e = assertThrows(DatasetException.class, () -> train(c, List.of()));
    assertTrue(e.getMessage().contains("fewer than one round"), e.getMessage());
  }

  private static double loss(String jsonLine) {
    return Double.parseDouble(jsonLine.replaceAll(".*\"loss\":([-0-9.Ee]+).*", "$1"));
  }
}

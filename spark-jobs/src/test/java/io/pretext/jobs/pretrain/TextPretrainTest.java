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
import io.pretext.jobs.cli.PretrainCommand;
import io.pretext.jobs.report.ReportConfig;
import io.pretext.jobs.report.RunReport;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masked-LM pretraining end to end on Spark local[2]: a small repetitive corpus prepared by prepare-text, a one-layer
 * BERT, a few rounds. The loss falls; the held-out monitor scores every epoch; a run resumed after a crash (with the
 * monitor on) ends with exactly the parameters of an uninterrupted run without it; datasets of the wrong kind or
 * vocabulary are refused before any training.
 */
class TextPretrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path data;
  static Path holdout;
  static SparkSession spark;

  @BeforeAll
  static void data() throws IOException {
    spark = SharedSpark.get();
    data = TinyText.prepare(tmp, "train", TinyText.lines(256, 0), null, 80);
    holdout = TinyText.prepare(tmp, "holdout", TinyText.lines(48, 1000), data.resolve("vocab.txt").toString(), 0);
  }

  /** 256 windows / (1 worker x 32 x 2) = 4 rounds per epoch. */
  static PretrainConfig config(Path run, int epochs, boolean resume, String... more) {
    List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--run", run.toString(), "--method", "mlm",
        "--encoder", "bert:layers=1,hidden=32,heads=2,ff=64", "--workers", "1", "--batch-size-per-worker", "32",
        "--averaging-frequency", "2", "--epochs", "" + epochs, "--lr", "1e-2", "--warmup-epochs", "0.25", "--seed", "11",
        "--dropout", "0", "--attention-dropout", "0", "--checkpoint-every", "3", "--keep-checkpoints", "2"));
    if (resume) {
      args.add("--resume");
    }
    args.addAll(List.of(more));
    return PretrainCommand.configFrom(args.toArray(String[]::new));
  }

  @Test
  void lossFallsAndTheMonitorScoresEveryEpoch() throws IOException {
    Path run = tmp.resolve("run-basic");
    StringWriter progress = new StringWriter();
    PretrainJob.Result r = PretrainJob.run(spark, config(run, 3, false, "--monitor", holdout.toString()), new PrintWriter(progress),
        List.of());
    assertEquals(12, r.roundsDone());
    assertEquals("tokens", r.unit());
    List<JsonNode> rounds = metrics(run, "round");
    assertEquals(12, rounds.size());
    double first = rounds.get(0).get("loss").asDouble() + rounds.get(1).get("loss").asDouble();
    double last = rounds.get(10).get("loss").asDouble() + rounds.get(11).get("loss").asDouble();
    assertTrue(last < first - 1, "loss should fall: first rounds " + first / 2 + ", last rounds " + last / 2);

    List<JsonNode> mlm = metrics(run, "mlm");
    assertEquals(3, mlm.size(), "one held-out record per epoch");
    for (int e = 0; e < 3; e++) {
      JsonNode m = mlm.get(e);
      assertEquals(e, m.get("epoch").asInt());
      assertEquals(4L * (e + 1), m.get("roundsDone").asLong());
      assertEquals(48, m.get("windows").asInt());
      assertEquals(mlm.get(0).get("targets").asLong(), m.get("targets").asLong(), "the same fixed masks every epoch");
      double correct = m.get("accuracy").asDouble() * m.get("targets").asLong();
      assertEquals(Math.rint(correct), correct, 1e-6, "accuracy is a whole number of targets out of " + m.get("targets"));
      assertEquals(Math.exp(m.get("crossEntropy").asDouble()), m.get("perplexity").asDouble(), 1e-9 * m.get("perplexity").asDouble());
    }
    assertTrue(mlm.get(0).get("targets").asLong() >= 48, "at least one target per held-out window");
    assertTrue(mlm.get(2).get("perplexity").asDouble() < mlm.get(0).get("perplexity").asDouble(),
        "held-out perplexity should fall: " + mlm);
    assertTrue(mlm.get(2).get("perplexity").asDouble() < 80, "below the vocabulary size of a uniform guess: " + mlm);
    assertTrue(progress.toString().contains("epoch 3: held-out masked-token accuracy"), progress.toString());

    Checkpoint cp = latest(run);
    assertEquals("mlm", cp.info().method());
    assertEquals("text", cp.info().input().kind());
    assertTrue(cp.info().input().lowercase());
    assertEquals("nfc", cp.info().input().normalization(), "run.json records the dataset's Unicode form for fill-mask");
    assertEquals(Files.readString(data.resolve("vocab.txt")), Files.readString(Path.of(cp.dir().toUri()).resolve(Checkpoint.VOCAB_FILE)));

    // The run's report charts the text monitor (accuracy and perplexity per epoch) and tokens/s, and has no image sections.
    RunReport.Result report = RunReport.write(spark, ReportConfig.defaults(run.toString()), line -> { });
    String html = Files.readString(Path.of(report.output()));
    for (String kind : List.of("loss", "throughput", "monitor", "perplexity")) {
      assertTrue(html.contains("data-kind=\"" + kind + "\""), kind);
    }
    assertTrue(html.contains("Masked-token accuracy (held-out text)") && html.contains("tokens/s"), "text monitor and unit");
    assertFalse(html.contains("data-kind=\"views\"") || html.contains("data-kind=\"neighbour"), "no image sections in a text report");
  }

  @Test
  void resumeWithTheMonitorEqualsAnUninterruptedRunWithOneWorker() throws IOException {
    train(config(tmp.resolve("run-a"), 2, false), List.of());
    ComputationGraph uninterrupted = latest(tmp.resolve("run-a")).loadModel(conf());

    Path b = tmp.resolve("run-b");
    String[] monitor = {"--monitor", holdout.toString()};
    RuntimeException crash = assertThrows(RuntimeException.class, () -> train(config(b, 2, false, monitor), List.of(crashAfter(7))));
    assertEquals("injected crash", crash.getMessage());
    assertEquals(6, latest(b).info().roundsDone(), "checkpoints every 3 rounds: the newest complete one is round 6");
    PretrainJob.Result resumed = train(config(b, 2, true, monitor), List.of());
    assertTrue(resumed.resumed());
    assertEquals(8, resumed.roundsDone());
    ComputationGraph afterResume = latest(b).loadModel(conf());

    assertArrayEquals(uninterrupted.params().toFloatVector(), afterResume.params().toFloatVector(), 0f,
        "one worker: resuming reproduces the uninterrupted parameters exactly, and the monitor changes nothing");
    assertArrayEquals(uninterrupted.getUpdater().getStateViewArray().toFloatVector(),
        afterResume.getUpdater().getStateViewArray().toFloatVector(), 0f);
    List<JsonNode> mlm = metrics(b, "mlm");
    assertEquals(2, mlm.size(), "epoch 1 scored before the crash, epoch 2 after the resume: " + mlm);
    assertEquals(List.of(0, 1), mlm.stream().map(m -> m.get("epoch").asInt()).toList());
  }

  @Test
  void aMonitorWithAnotherVocabularyIsRefusedBeforeTraining() throws IOException {
    Path other = TinyText.prepare(tmp, "other-vocab", TinyText.lines(48, 2000), null, 60);
    Path run = tmp.resolve("run-other-vocab");
    DatasetException e = assertThrows(DatasetException.class, () -> train(config(run, 1, false, "--monitor", other.toString()),
        List.of()));
    assertTrue(e.getMessage().contains("--monitor " + other) && e.getMessage().contains("another vocabulary")
        && e.getMessage().contains("prepare-text --vocab " + data.resolve("vocab.txt")), e.getMessage());
    assertTrue(metrics(run, "round").isEmpty(), "no round was trained");
    assertTrue(new RunDirectory(run.toString(), conf()).latest().isEmpty(), "no checkpoint was written");
  }

  @Test
  void methodsAndDatasetsOfDifferentKindsAreRefusedBeforeAnySparkWork() throws IOException {
    Path images = TinyCorpus.prepare(tmp.resolve("images"), 12);
    Path run = tmp.resolve("run-kinds");
    DatasetException simclr = assertThrows(DatasetException.class, () -> train(PretrainCommand.configFrom("--data", data.toString(),
        "--run", run.toString(), "--method", "simclr"), List.of()));
    assertTrue(simclr.getMessage().contains("holds text records") && simclr.getMessage().contains("method simclr trains on image"),
        simclr.getMessage());
    DatasetException mlm = assertThrows(DatasetException.class, () -> train(PretrainCommand.configFrom("--data", images.toString(),
        "--run", run.toString(), "--method", "mlm"), List.of()));
    assertTrue(mlm.getMessage().contains("holds image records") && mlm.getMessage().contains("method mlm trains on text"),
        mlm.getMessage());
    DatasetException monitor = assertThrows(DatasetException.class, () -> train(config(run, 1, false, "--monitor", images.toString()),
        List.of()));
    assertTrue(monitor.getMessage().contains("holds image records") && monitor.getMessage().contains("method mlm trains on text"),
        monitor.getMessage());
    assertFalse(Files.exists(run.resolve("checkpoints")), "nothing was trained");
  }

  private static Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

}

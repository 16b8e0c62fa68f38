package io.pretext.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path on a real cluster: a corpus on HDFS, {@code prepare-images} and {@code pretrain} (2 executors,
 * parameter averaging) and {@code evaluate}, each submitted through pretext-submit and SparkSubmit to the standalone
 * master, with every output on HDFS.
 */
class ClusterPipelineIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
  static ClusterFixture fx;
  static String hdfs;

  @BeforeAll
  static void start() {
    fx = ClusterFixture.get();
    hdfs = fx.hdfs.uri();
  }

  @Test
  void prepareOnHdfsPretrainWithTwoExecutorsAndEvaluate() throws IOException {
    FileSystem fs = fx.hdfs.fs();
    Corpus.write(fs, new org.apache.hadoop.fs.Path("/corpora/shapes"), 240, 1);
    Corpus.write(fs, new org.apache.hadoop.fs.Path("/corpora/shapes-test"), 90, 2);
    System.err.println("corpus written " + java.time.LocalTime.now());

    Submit.Result prep = fx.submit().run("pipeline-prepare", JOB_TIMEOUT, "prepare-images", "--input", hdfs + "/corpora/shapes",
        "--output", hdfs + "/datasets/shapes", "--label-from-folder", "--shards", "4").ok();
    assertEquals(240, JSON.readTree(prep.json()).path("counts").path("accepted").asLong(), prep.json());
    fx.submit().run("pipeline-prepare-test", JOB_TIMEOUT, "prepare-images", "--input", hdfs + "/corpora/shapes-test",
        "--output", hdfs + "/datasets/shapes-test", "--label-from-folder", "--shards", "2").ok();

    // 240 images / (2 workers x 16 images x 2 minibatches) = 3 rounds per epoch, 2 epochs
    Submit.Result train = fx.submit().run("pipeline-pretrain", JOB_TIMEOUT, "pretrain", "--data", hdfs + "/datasets/shapes",
        "--run", hdfs + "/runs/pipeline", "--workers", "2", "--batch-size-per-worker", "16", "--averaging-frequency", "2",
        "--epochs", "2", "--projection-hidden", "32", "--projection-dim", "16", "--checkpoint-every", "2").ok();
    JsonNode t = JSON.readTree(train.json());
    assertEquals(6, t.path("roundsDone").asLong(), train.json());
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/runs/pipeline/checkpoints/round-000006/model.zip")));
    List<String> metrics = rounds(fs, "/runs/pipeline/metrics.jsonl");
    assertEquals(6, metrics.size(), String.join("\n", metrics));
    assertTrue(trainingExecutors().size() >= 2, "both executors ran training tasks: " + trainingExecutors());

    Submit.Result eval = fx.submit().run("pipeline-evaluate", JOB_TIMEOUT, "evaluate", "--model", hdfs + "/runs/pipeline",
        "--train", hdfs + "/datasets/shapes", "--test", hdfs + "/datasets/shapes-test", "--protocol", "both").ok();
    JsonNode results = JSON.readTree(eval.json()).path("results");
    double linear = results.path("linear").asDouble(Double.NaN);
    assertTrue(linear > 0.5, "three separable shapes, chance is 0.33: " + eval.json());
  }

  static List<String> lines(FileSystem fs, String path) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** The {@code "type":"round"} lines of a run's metrics.jsonl. */
  static List<String> rounds(FileSystem fs, String metrics) throws IOException {
    return lines(fs, metrics).stream().filter(l -> l.contains("\"type\":\"round\"")).toList();
  }

  /**
   * Executor ids that ran tasks of the training stages (the parameter-averaging {@code treeAggregate} of
   * {@code ParameterAveraging}), from the Spark event logs of this JVM's submissions.
   */
  static Set<String> trainingExecutors() throws IOException {
    Set<String> trainingStages = new HashSet<>();
    Set<String> executors = new HashSet<>();
    List<Path> logs = new ArrayList<>();
    try (Stream<Path> files = Files.list(fx.work.resolve("events"))) {
      // The directory is shared with the other classes of the tier: a driver FaultsIT kills leaves its log as
      // *.inprogress, cut mid-line. Only finished applications count here.
      files.filter(f -> !f.getFileName().toString().endsWith(".inprogress")).forEach(logs::add);
    }
    for (Path log : logs) {
      for (String line : Files.readAllLines(log)) {
        JsonNode e = JSON.readTree(line);
        String event = e.path("Event").asText();
        if (event.equals("SparkListenerStageSubmitted")) {
          JsonNode info = e.path("Stage Info");
          if (info.path("Stage Name").asText().contains("ParameterAveraging.java")) {
            trainingStages.add(log.getFileName() + ":" + info.path("Stage ID").asInt());
          }
        } else if (event.equals("SparkListenerTaskEnd") && trainingStages.contains(log.getFileName() + ":" + e.path("Stage ID").asInt())) {
          executors.add(log.getFileName() + ":" + e.path("Task Info").path("Executor ID").asText());
        }
      }
    }
    return executors;
  }
}

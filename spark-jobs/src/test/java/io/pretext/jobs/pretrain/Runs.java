package io.pretext.jobs.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.train.RoundListener;
import io.pretext.jobs.train.RoundReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** What the pretraining tests share: running a job on the shared session, a crash injected after a round, a run's newest checkpoint and metrics lines. */
final class Runs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Runs() {}

  /** Runs {@code c} on the shared session with the listeners {@code extra}; progress is discarded. */
  static PretrainJob.Result train(PretrainConfig c, List<RoundListener> extra) {
    return PretrainJob.run(SharedSpark.get(), c, new PrintWriter(new StringWriter()), extra);
  }

  /** A listener that throws after round {@code rounds} is reported: a crash between two checkpoints. */
  static RoundListener crashAfter(long rounds) {
    return new RoundListener() {
      @Override
      public void onRound(RoundReport report, ComputationGraph network) {
        if (report.roundsDone() == rounds) {
          throw new IllegalStateException("injected crash");
        }
      }
    };
  }

  /** The newest complete checkpoint of {@code run}. */
  static Checkpoint latest(Path run) {
    return new RunDirectory(run.toString(), SharedSpark.get().sparkContext().hadoopConfiguration()).latest().orElseThrow();
  }

  /** The {@code metrics.jsonl} lines of {@code type}, in order; none if the file is missing. */
  static List<JsonNode> metrics(Path run, String type) throws IOException {
    Path file = run.resolve("metrics.jsonl");
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      JsonNode m = JSON.readTree(line);
      if (m.path("type").asText().equals(type)) {
        out.add(m);
      }
    }
    return out;
  }

  /** The job {@code base} describes on {@code run}, with {@code --resume} if asked and {@code more} after it. */
  static PretrainConfig config(List<String> base, Path run, boolean resume, String... more) {
    List<String> args = new ArrayList<>(base);
    args.addAll(List.of("--run", run.toString()));
    if (resume) {
      args.add("--resume");
    }
    args.addAll(List.of(more));
    return io.pretext.jobs.cli.PretrainCommand.configFrom(args.toArray(String[]::new));
  }
}

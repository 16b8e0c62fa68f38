package io.pretext.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.cli.JsonLine;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * {@code metrics.jsonl} in the run directory: one JSON object per round ({@code "type":"round"}), per epoch
 * ({@code "type":"epoch"}), per monitor evaluation ({@code "type":"knn"}, ...) and per method record (DeepCluster's
 * {@code "type":"deepcluster"}), appended through one open stream and flushed line by line, so the file grows with the
 * run and is never rewritten. On resume the lines past the checkpoint are dropped first, so the file reads as one
 * uninterrupted run; a line that is not JSON (the tail of a crash mid-write) is dropped too, and said so on the
 * progress stream with its line number.
 */
public final class MetricsLog implements RoundListener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FSDataOutputStream out;
  private final String unit;
  private boolean closed;
  private double methodSeconds;
  private double layoutSeconds;
  private double trainingSeconds;

  /**
   * @param keepRounds rounds already done (from the checkpoint resumed), 0 for a new run
   * @param unit what the throughput counts: {@code images} or {@code tokens}
   * @param progress where dropped lines are reported
   */
  public MetricsLog(RunDirectory run, long keepRounds, String unit, PrintWriter progress) {
    List<String> kept = new ArrayList<>();
    List<String> old = run.readMetrics();
    for (int i = 0; i < old.size(); i++) {
      Map<?, ?> m = parse(old.get(i));
      if (m == null) {
        progress.printf("metrics: dropping line %d of %s, which is not JSON (a write cut short by a crash?): %.80s%n", i + 1,
            run.metricsFile(), old.get(i));
        continue;
      }
      Object done = m.get("roundsDone");
      if (done instanceof Number n && n.longValue() <= keepRounds) {
        kept.add(old.get(i));
      }
    }
    progress.flush();
    this.out = run.openMetrics(kept);
    this.unit = unit;
  }

  @Override
  public void onEpochStart(int epoch, double methodSeconds, double layoutSeconds) {
    this.methodSeconds = methodSeconds;
    this.layoutSeconds = layoutSeconds;
    this.trainingSeconds = 0;
  }

  /**
   * {@code {"type":"epoch", "epoch", "roundsDone", "methodSeconds", "layoutSeconds", "trainingSeconds"}}: where the
   * epoch's time went (the method's epoch-start hook, laying out the records, the rounds this process trained).
   */
  @Override
  public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "epoch");
    m.put("epoch", epoch);
    m.put("roundsDone", roundsDone);
    m.put("methodSeconds", methodSeconds);
    m.put("layoutSeconds", layoutSeconds);
    m.put("trainingSeconds", trainingSeconds);
    append(m);
  }

  @Override
  public void onRound(RoundReport r, ComputationGraph network) {
    trainingSeconds += r.seconds();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "round");
    m.put("epoch", r.epoch());
    m.put("round", r.round());
    m.put("roundsDone", r.roundsDone());
    m.put("totalRounds", r.totalRounds());
    m.put("loss", r.loss());
    m.put("lr", r.learningRate());
    m.put(unit, r.records());
    m.put("seconds", r.seconds());
    m.put(unit + "PerSecond", r.recordsPerSecond());
    m.put("viewSeconds", r.viewSeconds());
    m.put("fitSeconds", r.fitSeconds());
    m.put("averagingSeconds", r.averagingSeconds());
    m.put("elapsedSeconds", r.elapsedSeconds());
    m.put("etaSeconds", r.etaSeconds());
    append(m);
  }

  /** Appends any record (e.g. an evaluation) as one line. */
  public synchronized void append(Map<String, Object> record) {
    try {
      out.write((JsonLine.of(record) + "\n").getBytes(StandardCharsets.UTF_8));
      out.hflush();
    } catch (IOException e) {
      throw new RunException("cannot append to metrics.jsonl: " + e.getMessage(), e);
    }
  }

  @Override
  public void onEnd(long roundsDone, ComputationGraph network) {
    close();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new RunException("cannot close metrics.jsonl: " + e.getMessage(), e);
    }
  }

  private static Map<?, ?> parse(String line) {
    try {
      return JSON.readValue(line, Map.class);
    } catch (IOException e) {
      return null;
    }
  }
}

package io.pretext.jobs.train;

import io.pretext.jobs.cli.JsonLine;
import io.pretext.jobs.run.RunDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * {@code metrics.jsonl} in the run directory: one JSON object per round ({@code "type":"round"})
 * and per evaluation ({@code "type":"knn"}). On resume, lines past the checkpoint are dropped, so
 * the file reads as one uninterrupted run.
 */
public final class MetricsLog implements RoundListener {
  private final RunDirectory run;
  private final List<String> lines;

  /** @param keepRounds rounds already done (from the checkpoint resumed), 0 for a new run */
  public MetricsLog(RunDirectory run, long keepRounds) {
    this.run = run;
    this.lines = new ArrayList<>();
    for (String line : run.readMetrics()) {
      Map<?, ?> m = parse(line);
      Object done = m.get("roundsDone");
      if (done instanceof Number n && n.longValue() <= keepRounds) {
        lines.add(line);
      }
    }
  }

  @Override
  public void onRound(RoundReport r, ComputationGraph network) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "round");
    m.put("epoch", r.epoch());
    m.put("round", r.round());
    m.put("roundsDone", r.roundsDone());
    m.put("totalRounds", r.totalRounds());
    m.put("loss", r.loss());
    m.put("lr", r.learningRate());
    m.put("images", r.records());
    m.put("seconds", r.seconds());
    m.put("imagesPerSecond", r.recordsPerSecond());
    m.put("viewSeconds", r.viewSeconds());
    m.put("fitSeconds", r.fitSeconds());
    m.put("averagingSeconds", r.averagingSeconds());
    m.put("elapsedSeconds", r.elapsedSeconds());
    m.put("etaSeconds", r.etaSeconds());
    append(m);
  }

  /** Adds any record (e.g. an evaluation) and rewrites the file. */
  public synchronized void append(Map<String, Object> record) {
    lines.add(JsonLine.of(record));
    run.writeMetrics(lines);
  }

  private static Map<?, ?> parse(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(line, Map.class);
    } catch (Exception e) {
      return Map.of();
    }
  }
}

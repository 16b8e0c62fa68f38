package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code metrics.jsonl} as series (see {@link io.pretext.jobs.train.MetricsLog} for the lines): the round
 * lines in file order, the per-epoch monitor lines (kNN for images, masked-token accuracy and perplexity for text), and
 * the lines that could not be read, by line number. A run resumed
 * from a checkpoint restarts its elapsed clock; each such restart begins a new session, and the run's training time
 * is the sum of the sessions' last elapsed times.
 *
 * @param rounds the {@code "type":"round"} lines
 * @param monitor the {@code "type":"knn"} or {@code "type":"mlm"} lines
 * @param malformed lines that are not JSON or lack a field the report needs ("line N: reason")
 * @param unit what the throughput counts: {@code images} or {@code tokens}
 */
record RunMetrics(List<Round> rounds, List<Monitor> monitor, List<String> malformed, String unit) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One round; times in seconds. */
  record Round(int epoch, long roundsDone, double loss, double lr, double perSecond, double viewSeconds, double fitSeconds,
      double averagingSeconds, double elapsedSeconds) {}

  /**
   * The monitor after 0-based {@code epoch}: {@code kind} {@code knn} (accuracy; perplexity NaN) or {@code mlm}
   * (masked-token accuracy and perplexity).
   */
  record Monitor(String kind, int epoch, long roundsDone, double accuracy, double perplexity) {}

  static RunMetrics parse(List<String> lines) {
    List<Round> rounds = new ArrayList<>();
    List<Monitor> monitor = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    String unit = "images";
    for (int i = 0; i < lines.size(); i++) {
      JsonNode n;
      try {
        n = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        malformed.add("line " + (i + 1) + ": not JSON");
        continue;
      }
      String type = n.path("type").asText("");
      if (type.equals("round")) {
        if (!n.has("roundsDone") || !n.has("loss")) {
          malformed.add("line " + (i + 1) + ": a round without roundsDone or loss");
          continue;
        }
        String perSecondKey = n.has("tokensPerSecond") ? "tokensPerSecond" : "imagesPerSecond";
        unit = perSecondKey.equals("tokensPerSecond") ? "tokens" : "images";
        rounds.add(new Round(n.path("epoch").asInt(), n.path("roundsDone").asLong(), number(n, "loss"), number(n, "lr"),
            number(n, perSecondKey), number(n, "viewSeconds"), number(n, "fitSeconds"), number(n, "averagingSeconds"),
            number(n, "elapsedSeconds")));
      } else if (type.equals("knn") || type.equals("mlm")) {
        monitor.add(new Monitor(type, n.path("epoch").asInt(), n.path("roundsDone").asLong(), number(n, "accuracy"),
            number(n, "perplexity")));
      }
    }
    return new RunMetrics(rounds, monitor, malformed, unit);
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
  }

  /** Sessions of the run: 1, plus one per resume (an elapsed time smaller than the line before's). */
  int sessions() {
    int sessions = rounds.isEmpty() ? 0 : 1;
    for (int i = 1; i < rounds.size(); i++) {
      if (rounds.get(i).elapsedSeconds() < rounds.get(i - 1).elapsedSeconds()) {
        sessions++;
      }
    }
    return sessions;
  }

  /** Training time: the sum over sessions of each session's last elapsed time (NaN-free lines only). */
  double trainingSeconds() {
    double total = 0;
    for (int i = 0; i < rounds.size(); i++) {
      boolean lastOfSession = i == rounds.size() - 1 || rounds.get(i + 1).elapsedSeconds() < rounds.get(i).elapsedSeconds();
      if (lastOfSession && Double.isFinite(rounds.get(i).elapsedSeconds())) {
        total += rounds.get(i).elapsedSeconds();
      }
    }
    return total;
  }

  /** {@code roundsDone} of the first round of every epoch after the first: where the charts draw epoch boundaries. */
  double[] epochStarts() {
    List<Double> marks = new ArrayList<>();
    for (int i = 1; i < rounds.size(); i++) {
      if (rounds.get(i).epoch() != rounds.get(i - 1).epoch()) {
        marks.add(rounds.get(i).roundsDone() - 0.5);
      }
    }
    return marks.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

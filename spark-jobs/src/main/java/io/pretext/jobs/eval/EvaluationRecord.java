package io.pretext.jobs.eval;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.pretrain.Provenance;
import io.pretext.jobs.run.RunException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One evaluation as {@code evaluate} records it in a run directory ({@link Evaluations}): what was scored (features,
 * the checkpoint and its round), on which data, with which settings, and the accuracies.
 *
 * @param formatVersion version of this file's format ({@value #FORMAT_VERSION})
 * @param features {@code trained}, {@code random} or {@code pixels}
 * @param protocol {@code linear}, {@code knn} or {@code both}
 * @param checkpoint the checkpoint directory evaluated (random init: whose architecture), null for pixels
 * @param roundsDone the rounds that checkpoint had trained, null for pixels
 * @param train labeled dataset the classifiers were fitted on
 * @param test labeled dataset scored
 * @param settings what else decides the result: {@code k}, {@code knnTemperature}, {@code maxIter}, {@code reg}, and
 *     {@code seed} for random init
 * @param results top-1 test accuracy in [0, 1] by protocol ({@code linear}, {@code knn})
 * @param dimension feature width
 * @param trainRecords train records
 * @param testRecords test records
 * @param seconds wall time of the evaluation
 * @param pretextVersion the version that evaluated
 * @param gitCommit its source commit
 */
public record EvaluationRecord(int formatVersion, String features, String protocol, String checkpoint, Long roundsDone, String train,
    String test, SortedMap<String, Object> settings, Map<String, Double> results, int dimension, long trainRecords, long testRecords,
    double seconds, String pretextVersion, String gitCommit) {

  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.INDENT_OUTPUT, true)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public EvaluationRecord {
    results = results == null ? Map.of() : new LinkedHashMap<>(results);
    settings = settings == null ? new TreeMap<>() : new TreeMap<>(settings);
  }

  /** The record of {@code result}, measured with {@code config}. */
  public static EvaluationRecord of(EvaluateConfig config, EvaluationResult result) {
    return new EvaluationRecord(FORMAT_VERSION, result.features(), config.protocol().toString(), result.checkpoint(), result.roundsDone(),
        config.train(), config.test(), settings(config), result.results(), result.dimension(), result.train(), result.test(),
        result.seconds(), Provenance.versions().get("pretext"), Provenance.gitCommit());
  }

  /** The settings that decide a result besides the data and the encoder; the batch size does not. */
  static SortedMap<String, Object> settings(EvaluateConfig config) {
    SortedMap<String, Object> s = new TreeMap<>();
    if (config.protocol().knn()) {
      s.put("k", config.k());
      s.put("knnTemperature", config.knnTemperature());
    }
    if (config.protocol().linear()) {
      s.put("maxIter", config.maxIter());
      s.put("reg", config.reg());
    }
    if (config.features() == FeatureKind.RANDOM) {
      s.put("seed", config.seed());
    }
    return s;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise an evaluation record", e);
    }
  }

  /**
   * Reads a record.
   *
   * @throws RunException if it is not JSON of a format this version reads, or lacks its features or results
   */
  public static EvaluationRecord fromJson(String json) {
    EvaluationRecord r;
    try {
      r = JSON.readValue(json, EvaluationRecord.class);
    } catch (IOException e) {
      throw new RunException("not a valid evaluation record: " + e.getMessage(), e);
    }
    if (r.formatVersion() < 1 || r.formatVersion() > FORMAT_VERSION) {
      throw new RunException("evaluation record formatVersion " + r.formatVersion() + " is not supported (1.." + FORMAT_VERSION + ")");
    }
    if (r.features() == null || r.results().isEmpty()) {
      throw new RunException("evaluation record has no " + (r.features() == null ? "features" : "results"));
    }
    return r;
  }
}

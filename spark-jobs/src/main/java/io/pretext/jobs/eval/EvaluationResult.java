package io.pretext.jobs.eval;

import java.util.Map;

/**
 * What {@link Evaluate#run} measured.
 *
 * @param features {@code trained}, {@code random} or {@code pixels}
 * @param model {@code --model} as given (a run or checkpoint directory), or null for pixels
 * @param checkpoint the checkpoint directory it resolved to, or null for pixels
 * @param roundsDone the rounds that checkpoint had trained, or null for pixels
 * @param dimension feature width D
 * @param results top-1 test accuracy in [0, 1] by protocol ({@code linear}, {@code knn}), in that order
 * @param train train records
 * @param test test records
 * @param seconds wall time, features included
 */
public record EvaluationResult(String features, String model, String checkpoint, Long roundsDone, int dimension,
    Map<String, Double> results, long train, long test, double seconds) {

  public EvaluationResult {
    results = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(results));
  }
}

package io.pretext.jobs.train.worker;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.pretext.model.lifecycle.Merge;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.lifecycle.StatePart;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code treeAggregate} value of a round: sums, so that partial results combine exactly in any grouping
 * (Flink ML's {@code LogisticGradient} does the same): parameter and optimiser-state sums, loss sum, steps, fit time,
 * workers, and every worker's state parts by worker index. Combining is in place; the driver divides at the end.
 * Each partition's result arrives once, from its successful attempt (results are data, not accumulators), so a
 * retried task is not counted twice.
 */
@DefaultSerializer(JavaSerializer.class)
final class RoundSum implements Serializable {
  private static final long serialVersionUID = 1L;

  float[] params;
  float[] updater;
  double lossSum;
  long steps;
  int maxSteps;
  long fitNanos;
  int workers;
  final TreeMap<Integer, List<StatePart>> parts = new TreeMap<>();

  /** Adds one worker's result ({@code treeAggregate}'s sequence operation). */
  RoundSum add(WorkerResult r) {
    params = sum(params, r.params);
    updater = sum(updater, r.updater);
    lossSum += r.lossSum;
    steps += r.steps;
    maxSteps = Math.max(maxSteps, r.steps);
    fitNanos += r.fitNanos;
    workers++;
    if (!r.parts.isEmpty() && parts.put(r.worker, r.parts) != null) {
      throw new IllegalStateException("two results for worker " + r.worker + " in one round");
    }
    return this;
  }

  /** Adds another partial sum ({@code treeAggregate}'s combine operation). */
  RoundSum merge(RoundSum o) {
    params = sum(params, o.params);
    updater = sum(updater, o.updater);
    lossSum += o.lossSum;
    steps += o.steps;
    maxSteps = Math.max(maxSteps, o.maxSteps);
    fitNanos += o.fitNanos;
    workers += o.workers;
    for (Map.Entry<Integer, List<StatePart>> e : o.parts.entrySet()) {
      if (parts.put(e.getKey(), e.getValue()) != null) {
        throw new IllegalStateException("two results for worker " + e.getKey() + " in one round");
      }
    }
    return this;
  }

  private static float[] sum(float[] into, float[] add) {
    if (add == null) {
      return into;
    }
    if (into == null) {
      return add.clone();
    }
    if (into.length != add.length) {
      throw new IllegalStateException("workers returned vectors of " + into.length + " and " + add.length + " floats");
    }
    for (int i = 0; i < into.length; i++) {
      into[i] += add[i];
    }
    return into;
  }

  /**
   * The workers' state parts merged by their rules: {@link Merge#AVERAGE} element-wise means over the workers that
   * sent the part, {@link Merge#CONCAT} rows in (step, worker) order.
   *
   * @throws IllegalStateException if workers declared a part differently (rule or width) or sent averaged parts of
   *     different lengths
   */
  RoundContributions contributions() {
    Map<String, List<StatePart>> byName = new LinkedHashMap<>();
    for (List<StatePart> worker : parts.values()) { // in worker order
      for (StatePart p : worker) {
        byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
      }
    }
    Map<String, RoundContributions.Merged> merged = new HashMap<>();
    for (Map.Entry<String, List<StatePart>> e : byName.entrySet()) {
      List<StatePart> sent = e.getValue();
      StatePart first = sent.get(0);
      for (StatePart p : sent) {
        if (p.merge() != first.merge() || p.width() != first.width()) {
          throw new IllegalStateException("state part '" + e.getKey() + "' was sent as " + first.merge() + " of width " + first.width()
              + " by one worker and as " + p.merge() + " of width " + p.width() + " by another");
        }
      }
      merged.put(e.getKey(), switch (first.merge()) {
        case AVERAGE -> average(e.getKey(), sent);
        case CONCAT -> concat(sent);
        case KEEP_DRIVER -> throw new IllegalStateException("state part '" + e.getKey() + "' is kept on the driver and must not be sent");
      });
    }
    return new RoundContributions(merged);
  }

  private static RoundContributions.Merged average(String name, List<StatePart> sent) {
    float[] sum = null;
    for (StatePart p : sent) {
      float[] v = p.blocks().get(0);
      if (sum != null && sum.length != v.length) {
        throw new IllegalStateException("averaged state part '" + name + "' has " + sum.length + " values on one worker and "
            + v.length + " on another");
      }
      sum = sum(sum, v);
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= sent.size();
    }
    return new RoundContributions.Merged(Merge.AVERAGE, sent.get(0).width(), sum, sent.size());
  }

  private static RoundContributions.Merged concat(List<StatePart> sent) {
    int steps = 0;
    int total = 0;
    for (StatePart p : sent) {
      steps = Math.max(steps, p.blocks().size());
      for (float[] b : p.blocks()) {
        total += b.length;
      }
    }
    float[] out = new float[total];
    int at = 0;
    for (int s = 0; s < steps; s++) {
      for (StatePart p : sent) { // worker order
        if (s < p.blocks().size()) {
          float[] b = p.blocks().get(s);
          System.arraycopy(b, 0, out, at, b.length);
          at += b.length;
        }
      }
    }
    return new RoundContributions.Merged(Merge.CONCAT, sent.get(0).width(), out, sent.size());
  }
}

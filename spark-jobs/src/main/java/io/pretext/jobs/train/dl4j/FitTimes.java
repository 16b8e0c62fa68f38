package io.pretext.jobs.train.dl4j;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * Fit time and fit count of a round, per partition: {@code {partition -> [nanoseconds, fits]}}.
 *
 * <p>Why per partition rather than two {@code LongAccumulator}s: Spark applies a task's accumulator updates once per
 * successful attempt. A failed attempt (its executor killed, say) contributes nothing, but a task that succeeds again
 * contributes twice: a re-run map stage after its shuffle output was lost on a dead executor (DL4J's
 * {@code treeAggregate} adds a shuffle stage once there are more partitions than its depth folds in one step), or a
 * speculative copy. Counters would then count those fits twice. Here a partition's entry is replaced, never added,
 * when updates are merged on the driver, so each partition counts once, as its last successful attempt measured it.
 * Within one task attempt the updates (one per minibatch) add up.
 */
final class FitTimes extends AccumulatorV2<long[], Map<Integer, long[]>> {
  private static final long serialVersionUID = 1L;
  private final HashMap<Integer, long[]> byPartition = new HashMap<>();

  /** {@code [partition, nanoseconds]} of one fit. */
  @Override
  public void add(long[] fit) {
    long[] v = byPartition.computeIfAbsent((int) fit[0], k -> new long[2]);
    v[0] += fit[1];
    v[1] += 1;
  }

  @Override
  public void merge(AccumulatorV2<long[], Map<Integer, long[]>> other) {
    other.value().forEach((partition, v) -> byPartition.put(partition, v.clone()));
  }

  @Override
  public Map<Integer, long[]> value() {
    Map<Integer, long[]> copy = new HashMap<>();
    byPartition.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  @Override
  public boolean isZero() {
    return byPartition.isEmpty();
  }

  @Override
  public AccumulatorV2<long[], Map<Integer, long[]>> copy() {
    FitTimes c = new FitTimes();
    byPartition.forEach((k, v) -> c.byPartition.put(k, v.clone()));
    return c;
  }

  @Override
  public void reset() {
    byPartition.clear();
  }

  /** Total nanoseconds over partitions. */
  long nanos() {
    return byPartition.values().stream().mapToLong(v -> v[0]).sum();
  }

  /** Total fits over partitions. */
  long fits() {
    return byPartition.values().stream().mapToLong(v -> v[1]).sum();
  }
}

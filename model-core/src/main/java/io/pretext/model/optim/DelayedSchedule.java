package io.pretext.model.optim;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Zero for the first {@code start} iterations, then {@code base} from its own iteration 0: a layer that waits while
 * others train, then trains on a schedule of its own (fine-tuning's encoder behind a head trained first, LP-FT: Kumar
 * et al. 2022, "Fine-Tuning can Distort Pretrained Features and Underperform Out-of-Distribution").
 *
 * <pre>
 *   i &lt; start : 0
 *   i &gt;= start: base(i - start)
 * </pre>
 * JSON-serialisable like DL4J's own schedules. Iteration-based only.
 */
public final class DelayedSchedule implements ISchedule {
  private static final long serialVersionUID = 1L;

  private final ISchedule base;
  private final int start;

  /**
   * @param base the schedule after the delay, iteration-based
   * @param start iterations of value 0, &gt;= 0
   */
  @JsonCreator
  public DelayedSchedule(@JsonProperty("base") ISchedule base, @JsonProperty("start") int start) {
    this.base = Objects.requireNonNull(base, "DelayedSchedule.base is null");
    if (start < 0) {
      throw new IllegalArgumentException("DelayedSchedule.start = " + start + " is invalid: must be >= 0");
    }
    this.start = start;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    return iteration < start ? 0.0 : base.valueAt(iteration - start, epoch);
  }

  @Override
  public ISchedule clone() {
    return this; // immutable
  }

  public ISchedule getBase() {
    return base;
  }

  public int getStart() {
    return start;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DelayedSchedule d && d.start == start && d.base.equals(base);
  }

  @Override
  public int hashCode() {
    return 31 * base.hashCode() + start;
  }

  @Override
  public String toString() {
    return "DelayedSchedule(start=" + start + ", " + base + ")";
  }
}

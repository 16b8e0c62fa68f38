package io.pretext.model.optim;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear warm-up followed by cosine decay (Loshchilov &amp; Hutter 2017, "SGDR", without restarts; the schedule
 * SimCLR uses, Chen et al. 2020, Sec. B.1).
 *
 * <p>With {@code i} the iteration (or epoch, per {@link #getScheduleType()}), {@code W = warmupSteps},
 * {@code T = totalSteps}, {@code v} the peak value and {@code f} the final value:
 * <pre>
 *   i &lt; W       : v * (i + 1) / W                                  (linear ramp, as DL4J's RampSchedule: step 0 is not 0)
 *   W &lt;= i &lt; T  : f + (v - f) * 0.5 * (1 + cos(pi * (i - W) / (T - W)))
 *   i &gt;= T      : f
 * </pre>
 * The ramp reaches {@code v} at {@code i = W - 1}; the cosine starts at {@code v} at {@code i = W}. {@code W = 0}
 * means no warm-up.
 *
 * <p>JSON-serialisable like DL4J's own schedules (Jackson creator with {@code @JsonProperty}, getters).
 */
public final class WarmupCosineSchedule implements ISchedule {

  private static final long serialVersionUID = 1L;

  private final ScheduleType scheduleType;
  private final double peakValue;
  private final double finalValue;
  private final int warmupSteps;
  private final int totalSteps;

  /**
   * @param scheduleType {@link ScheduleType#ITERATION} (usual) or {@link ScheduleType#EPOCH}
   * @param peakValue    value at the end of warm-up, &gt; 0 (the base learning rate)
   * @param finalValue   value at and after {@code totalSteps}, in [0, peakValue]
   * @param warmupSteps  warm-up length, &gt;= 0
   * @param totalSteps   total length including warm-up, &gt; warmupSteps
   */
  @JsonCreator
  public WarmupCosineSchedule(@JsonProperty("scheduleType") ScheduleType scheduleType,
                @JsonProperty("peakValue") double peakValue,
                @JsonProperty("finalValue") double finalValue,
                @JsonProperty("warmupSteps") int warmupSteps,
                @JsonProperty("totalSteps") int totalSteps) {
    this.scheduleType = Objects.requireNonNull(scheduleType,
        "WarmupCosineSchedule.scheduleType is null; use ScheduleType.ITERATION");
    if (!(peakValue > 0) || Double.isInfinite(peakValue)) {
      throw new IllegalArgumentException("WarmupCosineSchedule.peakValue = " + peakValue
          + " is invalid: must be finite and > 0; use the base learning rate, e.g. 1e-3");
    }
    if (!(finalValue >= 0 && finalValue <= peakValue)) {
      throw new IllegalArgumentException("WarmupCosineSchedule.finalValue = " + finalValue
          + " is invalid: must be in [0, peakValue = " + peakValue + "]; use 0 to decay to zero");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("WarmupCosineSchedule.warmupSteps = " + warmupSteps
          + " is invalid: must be >= 0; use 0 for no warm-up");
    }
    if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("WarmupCosineSchedule.totalSteps = " + totalSteps
          + " is invalid: must be > warmupSteps = " + warmupSteps
          + "; set it to the total number of iterations of the run");
    }
    this.peakValue = peakValue;
    this.finalValue = finalValue;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
  }

  /** Iteration-based schedule decaying to zero. */
  public static WarmupCosineSchedule iterations(double peakValue, int warmupSteps, int totalSteps) {
    return new WarmupCosineSchedule(ScheduleType.ITERATION, peakValue, 0.0, warmupSteps, totalSteps);
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    int i = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
    if (i < warmupSteps) {
      return peakValue * (i + 1) / warmupSteps;
    }
    if (i >= totalSteps) {
      return finalValue;
    }
    double progress = (double) (i - warmupSteps) / (totalSteps - warmupSteps);
    return finalValue + (peakValue - finalValue) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
  }

  @Override
  public ISchedule clone() {
    return this; // immutable
  }

  public ScheduleType getScheduleType() {
    return scheduleType;
  }

  public double getPeakValue() {
    return peakValue;
  }

  public double getFinalValue() {
    return finalValue;
  }

  public int getWarmupSteps() {
    return warmupSteps;
  }

  public int getTotalSteps() {
    return totalSteps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupCosineSchedule s && s.scheduleType == scheduleType
        && Double.compare(s.peakValue, peakValue) == 0 && Double.compare(s.finalValue, finalValue) == 0
        && s.warmupSteps == warmupSteps && s.totalSteps == totalSteps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheduleType, peakValue, finalValue, warmupSteps, totalSteps);
  }

  @Override
  public String toString() {
    return "WarmupCosineSchedule(type=" + scheduleType + ", peak=" + peakValue + ", final=" + finalValue
        + ", warmup=" + warmupSteps + ", total=" + totalSteps + ")";
  }
}

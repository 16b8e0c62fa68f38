package io.pretext.model.lifecycle;

import java.util.Map;
import java.util.Optional;

/**
 * The state parts of a round's workers, merged by the driver according to each part's {@link Merge}: what
 * {@link io.pretext.model.method.MethodState#onRoundEnd} receives. Parts with {@link Merge#KEEP_DRIVER} are absent.
 *
 * @param parts by name
 */
public record RoundContributions(Map<String, Merged> parts) {

  /** No worker sent anything. */
  public static final RoundContributions NONE = new RoundContributions(Map.of());

  public RoundContributions {
    parts = Map.copyOf(parts);
  }

  /** The merged part {@code name}, if any worker sent it. */
  public Optional<Merged> part(String name) {
    return Optional.ofNullable(parts.get(name));
  }

  /**
   * One merged part.
   *
   * @param merge the rule that merged it
   * @param width floats per row
   * @param values for {@link Merge#CONCAT} the rows in (step, worker) order; for {@link Merge#AVERAGE} the mean
   * @param workers how many workers sent it
   */
  public record Merged(Merge merge, int width, float[] values, int workers) {
    /** Rows in {@link #values}. */
    public int rows() {
      return values.length / width;
    }
  }
}

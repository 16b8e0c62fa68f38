package io.pretext.model.lifecycle;

import io.pretext.model.config.OptionCheck;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One piece of state a worker built during a round and returns with the round's result, with the rule that combines
 * it across workers ({@link Merge}). Values are rows of {@code width} floats.
 *
 * @param name what it is, unique within a method (e.g. {@code keys})
 * @param merge how the driver combines it
 * @param width floats per row, &gt;= 1
 * @param blocks for {@link Merge#CONCAT} one block per optimiser step of the round (step {@code s} at index {@code s},
 *     each holding whole rows, possibly none); for {@link Merge#AVERAGE} exactly one block, of the same length on every
 *     worker; for {@link Merge#KEEP_DRIVER} anything (nothing is sent)
 */
public record StatePart(String name, Merge merge, int width, List<float[]> blocks) implements Serializable {

  public StatePart {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(merge, "merge");
    OptionCheck.require(width >= 1, "StatePart.width", width, "an integer >= 1");
    blocks = List.copyOf(blocks);
    for (float[] b : blocks) {
      if (b.length % width != 0) {
        throw new IllegalArgumentException("state part '" + name + "': a block of " + b.length + " floats is not whole rows of " + width);
      }
    }
    if (merge == Merge.AVERAGE && blocks.size() != 1) {
      throw new IllegalArgumentException("state part '" + name + "' is averaged, so it must be one block, not " + blocks.size());
    }
  }

  /** A part merged by {@link Merge#CONCAT}: {@code perStep.get(s)} holds the rows added at step {@code s}. */
  public static StatePart concat(String name, int width, List<float[]> perStep) {
    return new StatePart(name, Merge.CONCAT, width, new ArrayList<>(perStep));
  }

  /** A part averaged element-wise over the workers. */
  public static StatePart average(String name, float[] values) {
    return new StatePart(name, Merge.AVERAGE, Math.max(1, values.length), List.of(values));
  }
}

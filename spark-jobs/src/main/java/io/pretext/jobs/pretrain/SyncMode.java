package io.pretext.jobs.pretrain;

import io.pretext.model.config.OptionCheck;

/** How the workers of a run average ({@code --sync}). */
public enum SyncMode {
  /** Every round through the driver: {@code treeAggregate} in, broadcast out (the default). */
  DRIVER,
  /** Among the workers by a ring all-reduce in a Spark barrier stage; nothing parameter-sized through the driver. */
  ALLREDUCE,
  /**
   * As {@link #ALLREDUCE}, and every step's gradients averaged over the workers before the optimiser's update:
   * synchronous data-parallel SGD (with the end-of-round averaging kept for what gradients do not reach: batch-norm
   * statistics, the method's state).
   */
  ALLREDUCE_GRADIENTS;

  /** Parses {@code driver}, {@code allreduce} or {@code allreduce-gradients}. */
  public static SyncMode parse(String value) {
    return OptionCheck.parseEnum(SyncMode.class, "--sync", value == null ? null : value.replace('-', '_'),
        "driver, allreduce or allreduce-gradients");
  }

  /** The option's spelling. */
  public String option() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}

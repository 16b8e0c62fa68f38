package io.pretext.jobs.pretrain;

import io.pretext.model.config.OptionCheck;

/** How the workers of a run average ({@code --sync}). */
public enum SyncMode {
  /** Every round through the driver: {@code treeAggregate} in, broadcast out (the default). */
  DRIVER,
  /** Among the workers by a ring all-reduce in a Spark barrier stage; nothing parameter-sized through the driver. */
  ALLREDUCE;

  /** Parses {@code driver} or {@code allreduce}. */
  public static SyncMode parse(String value) {
    return OptionCheck.parseEnum(SyncMode.class, "--sync", value, "driver or allreduce");
  }
}

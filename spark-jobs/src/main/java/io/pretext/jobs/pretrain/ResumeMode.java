package io.pretext.jobs.pretrain;

import io.pretext.model.config.OptionCheck;

/** What {@code pretrain} does with a run directory that may already hold a run ({@code --resume}). */
public enum ResumeMode {
  /** Start a new run; refuse a directory that already holds one (the default, so nothing is overwritten by mistake). */
  NEVER,
  /** Continue from the newest complete checkpoint; refuse a directory without one ({@code --resume}). */
  ALWAYS,
  /**
   * Continue from the newest complete checkpoint if there is one, else start a new run: the same command line serves a
   * scheduled run's first launch and every relaunch after a pre-emption ({@code --resume auto}).
   */
  AUTO;

  /** Parses {@code never}, {@code always} or {@code auto}. */
  public static ResumeMode parse(String value) {
    return OptionCheck.parseEnum(ResumeMode.class, "--resume", value, "always (the default when --resume has no value), auto, never");
  }
}

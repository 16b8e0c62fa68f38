package io.pretext.jobs.cli;

import io.pretext.jobs.pretrain.ResumeMode;
import io.pretext.jobs.pretrain.SyncMode;
import io.pretext.jobs.pretrain.RunConfig;
import picocli.CommandLine.Option;

/**
 * Where {@code pretrain} reads and writes, and how it checkpoints: options that do not change what is trained, so
 * {@code --resume} may change them.
 */
public final class RunOptions {
  @Option(names = "--data", required = true, paramLabel = "URI", description = "Prepared dataset (prepare-images or prepare-text).")
  String data;

  @Option(names = "--run", required = true, paramLabel = "URI", description = "Run directory (checkpoints, metrics.jsonl, run.json).")
  String run;

  @Option(names = "--resume", arity = "0..1", defaultValue = "never", fallbackValue = "always", paramLabel = "MODE",
      description = "Continue from the newest complete checkpoint in --run: always (the value when none is given; refuses a run"
          + " without a checkpoint), auto (resume if there is a checkpoint, else start: for schedulers that relaunch blindly),"
          + " never (default: refuse a --run that holds a run).")
  String resume;

  @Option(names = "--checkpoint-every", defaultValue = "50", description = "Rounds between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--keep-checkpoints", defaultValue = "3", description = "Complete checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(names = {"--monitor", "--monitor-labeled"}, paramLabel = "URI",
      description = "Held-out dataset scored after every epoch: for images a labeled dataset, kNN accuracy (a fifth of it are the queries);"
          + " for text a prepared text dataset with the training data's vocab.txt, masked-token accuracy and perplexity.")
  String monitor;

  @Option(names = "--sync", defaultValue = "driver", paramLabel = "MODE",
      description = "How the workers average: driver (every round through the driver, the default), allreduce (among the workers by"
          + " a ring all-reduce in a Spark barrier stage per checkpoint interval; needs a free task slot per worker and no dynamic"
          + " allocation) or allreduce-gradients (as allreduce, and every step's gradients averaged: synchronous data-parallel SGD)."
          + " driver and allreduce train the same rounds; --resume may change it.")
  String sync;

  /** The validated group; throws IllegalArgumentException naming the bad option. */
  public RunConfig toConfig() {
    return new RunConfig(data, run, ResumeMode.parse(resume), checkpointEvery, keepCheckpoints, monitor, SyncMode.parse(sync));
  }
}

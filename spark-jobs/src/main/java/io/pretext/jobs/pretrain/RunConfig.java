package io.pretext.jobs.pretrain;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a pretraining job reads and writes, and how it checkpoints: the options that do not change what is trained,
 * so {@code --resume} may change them.
 *
 * @param data prepared dataset URI
 * @param run run directory URI
 * @param resume what to do with a run directory that holds a run
 * @param checkpointEvery rounds between checkpoints
 * @param keepCheckpoints complete checkpoints to keep
 * @param monitor optional held-out dataset scored after every epoch (images: a labeled dataset, kNN accuracy;
 *     text: a prepared text dataset with the training data's vocabulary, masked-token accuracy and perplexity)
 * @param sync how the workers average: through the driver, or among themselves (both train the same rounds)
 */
public record RunConfig(String data, String run, ResumeMode resume, int checkpointEvery, int keepCheckpoints, String monitor,
    SyncMode sync) implements Serializable {

  /** Averaging through the driver. */
  public RunConfig(String data, String run, ResumeMode resume, int checkpointEvery, int keepCheckpoints, String monitor) {
    this(data, run, resume, checkpointEvery, keepCheckpoints, monitor, SyncMode.DRIVER);
  }

  public RunConfig {
    require(data != null && !data.isBlank(), "--data", data, "a prepared dataset URI");
    require(run != null && !run.isBlank(), "--run", run, "a run directory URI");
    Objects.requireNonNull(resume, "resume");
    require(checkpointEvery >= 1, "--checkpoint-every", checkpointEvery, "an integer >= 1 (rounds)");
    require(keepCheckpoints >= 1 && keepCheckpoints <= 1000, "--keep-checkpoints", keepCheckpoints, "an integer 1..1000");
    Objects.requireNonNull(sync, "sync");
  }

  /** The same with another data and run directory (the demo's). */
  public RunConfig at(String newData, String newRun) {
    return new RunConfig(newData, newRun, resume, checkpointEvery, keepCheckpoints, monitor, sync);
  }
}

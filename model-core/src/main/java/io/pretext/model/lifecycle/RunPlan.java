package io.pretext.model.lifecycle;

import io.pretext.model.config.OptionCheck;
import java.io.Serializable;

/**
 * The shape of a training run as a method sees it: enough to check its own options against the run
 * ({@link io.pretext.model.method.SslMethod#check}) and to size its state, nothing about where the run executes.
 *
 * @param seed the run's seed
 * @param records records in the training dataset (from its manifest)
 * @param epochs passes over the dataset
 * @param workers parallel workers
 * @param recordsPerBatch records per worker minibatch
 * @param batchesPerWorker minibatches a worker fits per round (the averaging frequency)
 * @param roundsPerEpoch rounds per epoch
 */
public record RunPlan(long seed, long records, int epochs, int workers, int recordsPerBatch, int batchesPerWorker,
    int roundsPerEpoch) implements Serializable {

  public RunPlan {
    OptionCheck.require(records >= 0, "records", records, "a count >= 0");
    OptionCheck.require(epochs >= 1, "--epochs", epochs, "an integer >= 1");
    OptionCheck.require(workers >= 1, "--workers", workers, "an integer >= 1");
    OptionCheck.require(recordsPerBatch >= 1, "--batch-size-per-worker", recordsPerBatch, "an integer >= 1");
    OptionCheck.require(batchesPerWorker >= 1, "--averaging-frequency", batchesPerWorker, "an integer >= 1");
    OptionCheck.require(roundsPerEpoch >= 0, "rounds per epoch", roundsPerEpoch, "an integer >= 0");
  }

  /** Optimiser steps each worker takes in the whole run (schedules such as BYOL's tau run over these). */
  public long totalIterations() {
    return (long) epochs * roundsPerEpoch * batchesPerWorker;
  }

  /** Records that all workers fit together in one optimiser step. */
  public long recordsPerStep() {
    return (long) workers * recordsPerBatch;
  }
}

package io.pretext.data.batches;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;

/**
 * How one parameter-averaging round is laid out: {@code workers} partitions, each holding
 * {@code batchesPerWorker} minibatches (the averaging frequency) of {@code recordsPerBatch} records.
 *
 * @param workers parallel workers, at least 1
 * @param recordsPerBatch records (images, sentences) per worker minibatch, at least 1
 * @param batchesPerWorker minibatches each worker fits between two averagings, at least 1
 */
public record RoundLayout(int workers, int recordsPerBatch, int batchesPerWorker) implements Serializable {
  public RoundLayout {
    require(workers >= 1, "--workers", workers, "an integer >= 1");
    require(recordsPerBatch >= 1, "--batch-size-per-worker", recordsPerBatch, "an integer >= 1");
    require(batchesPerWorker >= 1, "--averaging-frequency", batchesPerWorker, "an integer >= 1");
  }

  /** Records consumed by one round. */
  public long recordsPerRound() {
    return (long) workers * recordsPerBatch * batchesPerWorker;
  }

  /** Complete rounds in an epoch of {@code records} records; the remainder is left out of that epoch only. */
  public int roundsPerEpoch(long records) {
    return (int) (records / recordsPerRound());
  }
}

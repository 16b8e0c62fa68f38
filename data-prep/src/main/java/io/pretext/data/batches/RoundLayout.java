package io.pretext.data.batches;

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
    if (workers < 1) {
      throw new IllegalArgumentException("invalid value for --workers: '" + workers + "' (allowed: an integer >= 1)");
    }
    if (recordsPerBatch < 1) {
      throw new IllegalArgumentException("invalid value for --batch-size-per-worker: '" + recordsPerBatch + "' (allowed: an integer >= 1)");
    }
    if (batchesPerWorker < 1) {
      throw new IllegalArgumentException("invalid value for --averaging-frequency: '" + batchesPerWorker + "' (allowed: an integer >= 1)");
    }
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

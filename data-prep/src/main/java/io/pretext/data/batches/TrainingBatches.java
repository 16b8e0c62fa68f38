package io.pretext.data.batches;

import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The source of training minibatches for the driver: one RDD per round, with exactly
 * {@link RoundLayout#workers()} partitions of {@link RoundLayout#batchesPerWorker()} minibatches each. A minibatch is
 * a {@link MultiDataSet} (several inputs, labels and masks), made in the executors by the method from the data
 * pipeline's batch ({@code SslMethod} sub-interfaces). Contents are a pure function of (seed, epoch, round), so a
 * retried task or a resumed run sees the same minibatches.
 */
public interface TrainingBatches extends AutoCloseable {
  /** Records available for training. */
  long records();

  RoundLayout layout();

  default int roundsPerEpoch() {
    return layout().roundsPerEpoch(records());
  }

  /**
   * Lays out the records of {@code epoch} (the method state's record table joined and sampled, the epoch's shuffle),
   * before its first round; the driver times it. By default nothing: {@link #round} does it when first asked.
   */
  default void startEpoch(int epoch) {
  }

  /** The minibatches of {@code round} (0-based) in {@code epoch} (0-based), made lazily in the executors. */
  JavaRDD<MultiDataSet> round(int epoch, int round);

  /** What throughput counts: {@code images}, or {@code tokens} (real tokens, padding excluded) for text. */
  default String unit() {
    return "images";
  }

  /**
   * The {@link #unit()}s in round {@code round} of {@code epoch}, once the driver has materialised it: the round's
   * records for images.
   */
  default long units(int epoch, int round) {
    return layout().recordsPerRound();
  }

  /** Releases cached data. */
  @Override
  void close();
}

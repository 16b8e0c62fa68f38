package io.pretext.data.batches;

import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The source of training minibatches for the driver: one RDD per round, with exactly
 * {@link RoundLayout#workers()} partitions of {@link RoundLayout#batchesPerWorker()} DataSets each.
 * Contents are a pure function of (seed, epoch, round), so a retried task or a resumed run
 * sees the same minibatches.
 */
public interface TrainingBatches extends AutoCloseable {
  /** Records available for training. */
  long records();

  RoundLayout layout();

  default int roundsPerEpoch() {
    return layout().roundsPerEpoch(records());
  }

  /** The minibatches of {@code round} (0-based) in {@code epoch} (0-based), made lazily in the executors. */
  JavaRDD<DataSet> round(int epoch, int round);

  /** Releases cached data. */
  @Override
  void close();
}

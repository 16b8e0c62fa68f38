package io.pretext.jobs.train.dl4j;

import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Times each worker's minibatch fits into two Spark accumulators (total nanoseconds and number of fits), so that the
 * driver can split a round's wall time into fitting and everything else (broadcast, averaging, scheduling).
 *
 * <p>Used instead of DL4J's {@code collectTrainingStats}, which keeps every event of the whole run in the driver.
 * The driver resets the accumulators before each round. The start time is per worker thread and transient: a hook
 * instance is deserialised once per task, and a task's minibatches run one after another.
 */
final class FitTimeHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator fitNanos;
  private final LongAccumulator fits;
  private transient long started;

  FitTimeHook(LongAccumulator fitNanos, LongAccumulator fits) {
    this.fitNanos = fitNanos;
    this.fits = fits;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    started = System.nanoTime();
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    started = System.nanoTime();
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    record();
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
    record();
  }

  private void record() {
    fitNanos.add(System.nanoTime() - started);
    fits.add(1);
  }
}

package io.pretext.jobs.train.dl4j;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Times each worker's minibatch fits into a {@link FitTimes} accumulator (nanoseconds and fits per partition), so that
 * the driver can split a round's wall time into fitting and everything else (broadcast, averaging, scheduling).
 *
 * <p>Used instead of DL4J's {@code collectTrainingStats}, which keeps every event of the whole run in the driver.
 * The driver resets the accumulator before each round. The start time is per worker thread and transient: a hook
 * instance is deserialised once per task, and a task's minibatches run one after another in the task's thread
 * (DL4J's direct training with no prefetch), where {@link TaskContext} gives the partition.
 */
final class FitTimeHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  private final FitTimes times;
  private transient long started;

  FitTimeHook(FitTimes times) {
    this.times = times;
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
    times.add(new long[] {TaskContext.getPartitionId(), System.nanoTime() - started});
  }
}

package io.pretext.jobs.train.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gives each worker's network the driver's iteration and epoch counts before its first minibatch of a round.
 *
 * <p>Why: {@code ParameterAveragingTrainingWorker} (dl4j-spark3 1.0.0-M2) builds its network from
 * {@code ComputationGraphConfiguration.clone()}, and {@code clone()} does not copy {@code iterationCount} or
 * {@code epochCount}. Every round therefore starts again at iteration 0 on the workers, although the master
 * advances the driver's count. Two things read that count: learning-rate schedules (the warm-up restarts every
 * round, so training runs at the schedule's first value forever) and Adam's bias correction (the step is scaled by
 * {@code sqrt(1 - beta2^(t+1)) / (1 - beta1^(t+1))}, 0.32 at t = 0 instead of about 1, while the carried-over moments
 * are already unbiased). Together they made the effective learning rate about 1/36 of the intended peak with the
 * default schedule.
 *
 * <p>The hook instance lives in the training master and is serialised into every round's Spark job, so the values
 * set by {@link #startRound} on the driver are the ones the workers see. The counts are raised, never lowered:
 * after a worker's first minibatch its own count is already past {@code iteration}.
 */
final class IterationCountHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  private int iteration;
  private int epoch;

  /** Sets the counts the next round's workers start from (the driver network's current counts). */
  void startRound(int iteration, int epoch) {
    this.iteration = iteration;
    this.epoch = epoch;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    sync(model);
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    sync(model);
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    // nothing to do after the update
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
    // nothing to do after the update
  }

  /** Pretext trains {@link ComputationGraph}s only ({@code SparkComputationGraph} in {@link ParameterAveragingTrainer}). */
  private void sync(Model model) {
    if (!(model instanceof ComputationGraph g)) {
      throw new IllegalStateException("IterationCountHook: unsupported model type " + model.getClass().getName());
    }
    var conf = g.getConfiguration();
    conf.setIterationCount(Math.max(conf.getIterationCount(), iteration));
    conf.setEpochCount(Math.max(conf.getEpochCount(), epoch));
  }
}

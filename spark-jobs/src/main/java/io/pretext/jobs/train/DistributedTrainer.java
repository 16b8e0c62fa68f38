package io.pretext.jobs.train;

import io.pretext.model.lifecycle.RoundContributions;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The seam between the training loop and a distributed training engine. One call trains one round: every worker fits
 * the minibatches of its partition starting from the driver's current parameters and optimiser state, running the
 * method's {@link io.pretext.model.lifecycle.WorkerSteps} around each optimiser step, and the results are combined
 * into the driver's network; the state the workers built comes back merged by each part's rule.
 *
 * <p>Contract: the RDD has one partition per worker; the engine must not reorder or resample it. Minibatches are
 * {@link MultiDataSet}s (several inputs, labels and masks), as the method made them. The implementation is Pretext's
 * own parameter averaging ({@link io.pretext.jobs.train.worker.ParameterAveraging}); docs/architecture.md says why
 * it replaced DL4J's Spark training master.
 */
public interface DistributedTrainer {

  /**
   * Trains one round.
   *
   * @param fromDriver the method state's {@code forWorkers()} for this round, broadcast to the workers (null: nothing)
   */
  RoundResult fitRound(JavaRDD<MultiDataSet> round, Serializable fromDriver);

  /** The driver's copy of the network, holding the combined parameters after the last round. */
  ComputationGraph network();

  /**
   * What a round did.
   *
   * @param stats its loss and timing
   * @param contributions the workers' state, merged
   */
  record RoundResult(RoundStats stats, RoundContributions contributions) {}

  /**
   * What a round cost.
   *
   * @param loss mean training loss over the round's minibatches on every worker (each without the weight-decay term)
   * @param workerFitMillis mean time a worker spent on its minibatches (the method's steps, forward, backward, update)
   * @param wallMillis wall time of the whole call: fitting plus shipping, combining and broadcasting parameters
   */
  record RoundStats(double loss, long workerFitMillis, long wallMillis) {
    /** Wall time not spent fitting: parameter averaging and its communication, scheduling. */
    public long averagingMillis() {
      return Math.max(0, wallMillis - workerFitMillis);
    }
  }
}

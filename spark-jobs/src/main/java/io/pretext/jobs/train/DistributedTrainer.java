package io.pretext.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The seam between Pretext and a distributed training engine. One call trains one round:
 * every worker fits the minibatches of its partition starting from the driver's current
 * parameters (and optimiser state), and the results are combined into the driver's network.
 *
 * <p>Contract: the RDD has one partition per worker; the engine must not reorder or resample it. Minibatches are
 * {@link MultiDataSet}s (several inputs, labels and masks), as the method made them. After every optimiser step a
 * worker runs the method's {@link io.pretext.model.method.UpdateHook}. The only implementation today is DL4J's
 * parameter averaging ({@link io.pretext.jobs.train.dl4j.ParameterAveragingTrainer}); replacing it (DL4J's Spark module
 * is no longer developed) means writing another implementation of this interface, nothing else.
 */
public interface DistributedTrainer {
  /** Trains one round; returns the mean training loss reported by the workers. */
  RoundStats fitRound(JavaRDD<MultiDataSet> round);

  /** The driver's copy of the network, holding the combined parameters after the last round. */
  ComputationGraph network();

  /**
   * What a round cost.
   *
   * @param loss mean training loss the workers reported for their last minibatch, without the weight-decay term
   * @param workerFitMillis mean time a worker spent fitting its minibatches (forward, backward, update)
   * @param wallMillis wall time of the whole call: fitting plus shipping, combining and broadcasting parameters
   */
  record RoundStats(double loss, long workerFitMillis, long wallMillis) {
    /** Wall time not spent fitting: parameter averaging and its communication, scheduling. */
    public long averagingMillis() {
      return Math.max(0, wallMillis - workerFitMillis);
    }
  }
}

package io.pretext.jobs.train;

import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.method.MethodState;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The seam between the training loop and a distributed training engine. One call trains one or more consecutive
 * rounds of an epoch: every worker fits the minibatches of its partition of each round, running the method's
 * {@link io.pretext.model.lifecycle.WorkerSteps} around each optimiser step, and the workers' parameters and optimiser
 * state are averaged at the end of every round. The method state's per-round hooks ({@link MethodState#forWorkers},
 * {@link MethodState#onRoundEnd}) run for every round, in order, wherever the engine ends a round.
 *
 * <p>Two engines: {@link io.pretext.jobs.train.worker.ParameterAveraging} ({@code --sync driver}: one round per
 * call, the driver averages) and {@link io.pretext.jobs.train.worker.AllReduceAveraging} ({@code --sync allreduce}:
 * several rounds per call in one barrier stage, the workers average among themselves). docs/architecture.md says why
 * Pretext has its own worker loop rather than DL4J's Spark training master.
 *
 * <p>Contract: each round's RDD has one partition per worker; the engine must not reorder or resample it. Minibatches
 * are {@link MultiDataSet}s (several inputs, labels and masks), as the method made them.
 */
public interface DistributedTrainer {

  /**
   * How many rounds the next call trains, between 1 and {@code roundsLeft}.
   *
   * @param roundsDone rounds the run has done
   * @param roundsLeft rounds left in the current epoch (a call never crosses an epoch)
   */
  int roundsPerCall(long roundsDone, int roundsLeft);

  /**
   * Trains {@code rounds}, the run's rounds after {@code roundsDone}, in order and reports each to {@code sink} once, in order. When the call returns,
   * {@link #network()} holds the parameters after the last round if the call ended an epoch; within an epoch an engine
   * may leave the driver's copy behind (the all-reduce engine writes the model to storage instead), and says so through
   * {@link #stagedModel}.
   */
  void fitRounds(long roundsDone, List<JavaRDD<MultiDataSet>> rounds, MethodState state, RoundSink sink);

  /** The driver's copy of the network (see {@link #fitRounds} for when it is current). */
  ComputationGraph network();

  /**
   * Where the engine already wrote the model (parameters, optimiser state and counts) after {@code roundsDone} rounds,
   * as a directory holding {@code model.zip} that a checkpoint may take over instead of writing the driver's copy.
   */
  default Optional<Path> stagedModel(long roundsDone) {
    return Optional.empty();
  }

  /** Releases what the engine holds for the run (broadcasts, sockets). */
  void close();

  /** Rounds trained again after a failure (the all-reduce engine restarts a failed stage from its start). */
  default long roundsRepeated() {
    return 0;
  }

  /** Receives the rounds of a call as they complete. */
  @FunctionalInterface
  interface RoundSink {
    /** @param index the round's position in the call's list */
    void onRound(int index, RoundStats stats);
  }

  /**
   * What a round did (the driver engine's {@code fitRound}).
   *
   * @param stats its loss and timing
   * @param contributions the workers' state, merged
   */
  record RoundResult(RoundStats stats, RoundContributions contributions) {}

  /**
   * What a round cost.
   *
   * @param loss mean training loss over the round's minibatches on every worker (each without the weight-decay term)
   * @param viewMillis time making the round's minibatches in the executors (decoding, augmenting, masking)
   * @param workerFitMillis mean time a worker spent on its minibatches (the method's steps, forward, backward, update)
   * @param wallMillis wall time of the round: making minibatches, fitting, averaging, scheduling
   */
  record RoundStats(double loss, long viewMillis, long workerFitMillis, long wallMillis) {
    /** Wall time not spent making minibatches or fitting: parameter averaging and its communication, scheduling. */
    public long averagingMillis() {
      return Math.max(0, wallMillis - viewMillis - workerFitMillis);
    }
  }
}

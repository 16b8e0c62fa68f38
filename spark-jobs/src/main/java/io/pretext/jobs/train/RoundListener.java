package io.pretext.jobs.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Side effects between rounds: progress, metrics, checkpoints, monitors. The driver calls them in order. */
public interface RoundListener {

  /**
   * An epoch is about to train.
   *
   * @param methodSeconds time the method's epoch-start hook took (0 for an epoch resumed mid-way, which runs none)
   * @param layoutSeconds time laying out the epoch's records took (record table join, sampling, the epoch's shuffle)
   */
  default void onEpochStart(int epoch, double methodSeconds, double layoutSeconds) {}

  default void onRound(RoundReport report, ComputationGraph network) {}

  default void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {}

  default void onEnd(long roundsDone, ComputationGraph network) {}
}

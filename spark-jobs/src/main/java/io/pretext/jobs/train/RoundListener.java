package io.pretext.jobs.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Side effects between rounds: progress, metrics, checkpoints, monitors. The driver calls them in order. */
public interface RoundListener {
  default void onRound(RoundReport report, ComputationGraph network) {}

  default void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {}

  default void onEnd(long roundsDone, ComputationGraph network) {}
}

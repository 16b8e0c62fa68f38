package io.pretext.model.lifecycle;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A method's work on one worker around each of its optimiser steps in a round, made on the worker from the method and
 * the round's broadcast state ({@link io.pretext.model.method.SslMethod#workerSteps}); one instance serves one worker
 * for one round, on the worker's thread, and is never serialised.
 *
 * <p>Order per minibatch: {@link #beforeStep} (may add inputs, e.g. MoCo's queue), one optimiser step on what it
 * returned, {@link #afterStep} (sees the minibatch and what the step computed: BYOL's and MoCo's momentum update, MoCo's
 * enqueue). After the round's last step {@link #endOfRound} says what goes back to the driver.
 */
public interface WorkerSteps {

  /** Does nothing and returns nothing. */
  WorkerSteps NONE = new WorkerSteps() { };

  /**
   * The minibatch the step fits; by default {@code batch} unchanged.
   *
   * @param network the worker's network, its iteration count that of the step about to run
   */
  default MultiDataSet beforeStep(ComputationGraph network, MultiDataSet batch) {
    return batch;
  }

  /**
   * After the optimiser step on {@code batch} (what {@link #beforeStep} returned); the network's iteration count is
   * already advanced past the step, and counts the run's steps, not the round's.
   */
  default void afterStep(ComputationGraph network, MultiDataSet batch, StepResult step) {
  }

  /** The state this worker built in the round, each part with its merge rule; nothing by default. */
  default List<StatePart> endOfRound() {
    return List.of();
  }
}

package io.pretext.model.method;

import java.io.Serializable;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Work a method does on a worker right after each optimiser step of that worker, before the next minibatch: BYOL's
 * exponential moving average of the online network into the target network. The iteration count of
 * {@code network.getConfiguration()} is already advanced past the step (the driver hands every worker the run's count,
 * so schedules see the global step).
 *
 * <p>Implementations are serialised to the executors, so they hold only small immutable values; they run on the
 * worker's thread and must be deterministic.
 */
@FunctionalInterface
public interface UpdateHook extends Serializable {

  /** Does nothing. */
  UpdateHook NONE = network -> { };

  /** Called once after every optimiser step with the worker's network. */
  void afterUpdate(ComputationGraph network);
}

package io.pretext.model.lifecycle;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one optimiser step on a worker computed, as {@link WorkerSteps#afterStep} sees it: no second forward pass is
 * needed to read an activation of the step, because vertices the method wrapped in a
 * {@link io.pretext.model.layers.Capture} keep a copy of what they passed on.
 */
public interface StepResult {

  /** The step's training loss (the objective, without the weight-decay term). */
  double loss();

  /**
   * The activations that the {@link io.pretext.model.layers.Capture} vertex {@code vertex} passed on in this step's
   * forward pass, detached from DL4J's workspaces.
   *
   * @throws IllegalArgumentException if the graph has no capture vertex of that name
   */
  INDArray captured(String vertex);
}

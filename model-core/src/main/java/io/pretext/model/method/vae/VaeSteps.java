package io.pretext.model.method.vae;

import io.pretext.model.lifecycle.WorkerSteps;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The KL warm-up (Bowman et al. 2016) on a worker: before each step the KL term's weight column becomes
 * {@code beta * min(1, (t + 1) / T)}, {@code t} the run's step and {@code T} the warm-up's steps, a function of the step
 * alone, so every worker and a resumed run agree.
 */
final class VaeSteps implements WorkerSteps {
  private final double beta;
  private final long warmupSteps;

  VaeSteps(double beta, long warmupSteps) {
    this.beta = beta;
    this.warmupSteps = warmupSteps;
  }

  /** The KL weight at step {@code t} (0-based). */
  static double weight(double beta, long warmupSteps, long t) {
    return warmupSteps <= 0 ? beta : beta * Math.min(1.0, (t + 1.0) / warmupSteps);
  }

  @Override
  public MultiDataSet beforeStep(ComputationGraph network, MultiDataSet batch) {
    batch.getLabels(1).assign(weight(beta, warmupSteps, network.getIterationCount()));
    return batch;
  }
}

package io.pretext.model.method.distillation;

import io.pretext.model.config.OptionCheck;
import io.pretext.model.head.ProjectionHead;
import java.util.List;
import java.util.Objects;

/**
 * BYOL configuration (Grill et al. 2020).
 *
 * @param projector the projection MLP of the online and the target network ({@code repDim -> hidden -> out}, with
 *     BatchNorm in the hidden layers as in the paper); default {@code 256 -> 64} on the representation
 * @param predictor the online network's prediction MLP ({@code out -> hidden -> out}); its output width must equal the
 *     projector's; default {@code 256 -> 64}
 * @param emaTau base decay {@code tau_base} of the target's exponential moving average, in [0, 1); it rises to 1 with
 *     a cosine over the run (paper, Sec. 3.2); default {@value #DEFAULT_EMA_TAU}
 */
public record ByolConfig(ProjectionHead projector, ProjectionHead predictor, double emaTau) implements java.io.Serializable {

  /** Default {@code tau_base}; the paper uses 0.996 for 1000 ImageNet epochs, short runs need a faster target. */
  public static final double DEFAULT_EMA_TAU = 0.99;
  /** Default hidden width of projector and predictor. */
  public static final int DEFAULT_HIDDEN = 256;
  /** Default output width of projector and predictor. */
  public static final int DEFAULT_DIM = 64;

  public ByolConfig {
    Objects.requireNonNull(projector, "ByolConfig.projector is null; use ByolConfig.defaults()");
    Objects.requireNonNull(predictor, "ByolConfig.predictor is null; use ByolConfig.defaults()");
    OptionCheck.require(emaTau >= 0 && emaTau < 1, "--ema-tau", emaTau, "a number in [0, 1); the paper uses 0.99-0.996");
    OptionCheck.require(predictor.outDim() == projector.outDim(), "predictor output width", predictor.outDim(),
        "the projector's output width " + projector.outDim() + " (predictions are compared with target projections)");
  }

  /** Projector and predictor {@code 256 -> 64} with BatchNorm, tau {@value #DEFAULT_EMA_TAU}. */
  public static ByolConfig defaults() {
    ProjectionHead head = new ProjectionHead(List.of(DEFAULT_HIDDEN), DEFAULT_DIM, true);
    return new ByolConfig(head, head, DEFAULT_EMA_TAU);
  }

  /**
   * The EMA decay at optimiser step {@code k} of {@code total}: {@code 1 - (1 - tau_base) (cos(pi k / K) + 1) / 2},
   * so {@code tau_base} at the start and 1 at the end (paper, Sec. 3.2).
   */
  public double tauAt(long k, long total) {
    double progress = total <= 0 ? 1 : Math.min(1.0, Math.max(0.0, (double) k / total));
    return 1 - (1 - emaTau) * (Math.cos(Math.PI * progress) + 1) / 2;
  }
}

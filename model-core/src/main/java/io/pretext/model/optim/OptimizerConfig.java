package io.pretext.model.optim;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Optimiser: Adam (Kingma &amp; Ba 2015) or AdamW (Loshchilov &amp; Hutter 2019, decoupled weight decay), with a
 * {@link WarmupCosineSchedule} learning rate.
 *
 * <p>DL4J 1.0.0-M2.1 has no {@code AdamW} updater class ({@code org.nd4j.linalg.learning.config} holds Adam, AdaMax,
 * AMSGrad, Nadam, ... but no AdamW). AdamW is therefore built as {@link Adam} plus DL4J's {@link WeightDecay}
 * regularisation with {@code applyLR = true}: WeightDecay is applied {@code POST_UPDATER}, i.e. after Adam has turned
 * the gradient into an update, adding {@code lr(t) * weightDecay * theta} — the decoupled update
 * {@code theta -= lr(t) * (adamStep + weightDecay * theta)} with the same meaning of {@code weightDecay} as PyTorch's
 * {@code AdamW(weight_decay=...)}. Plain {@link Algorithm#ADAM} with a non-zero weight decay uses
 * {@link L2Regularization} instead, which DL4J applies {@code BEFORE_UPDATER} (coupled L2, like PyTorch's
 * {@code Adam(weight_decay=...)}).
 *
 * <p>Regularisation is set for weights only: DL4J keeps bias regularisation separate ({@code regularizationBias},
 * left empty) and never regularises BatchNormalization parameters.
 *
 * @param algorithm        {@link Algorithm#ADAM} or {@link Algorithm#ADAMW}
 * @param learningRate     peak learning rate reached after warm-up, finite and &gt; 0
 * @param weightDecay      decay coefficient, &gt;= 0 (0 disables it)
 * @param warmupIterations linear warm-up length in iterations, &gt;= 0
 * @param totalIterations  length of the run in iterations, &gt; warmupIterations; the cosine reaches 0 there
 */
public record OptimizerConfig(Algorithm algorithm, double learningRate, double weightDecay, int warmupIterations,
                int totalIterations) {

  /** Supported optimisers. */
  public enum Algorithm { ADAM, ADAMW }

  public OptimizerConfig {
    Objects.requireNonNull(algorithm, "OptimizerConfig.algorithm is null; allowed: ADAM, ADAMW");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("OptimizerConfig.learningRate = " + learningRate
          + " is invalid: must be finite and > 0; a typical value is 1e-3");
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("OptimizerConfig.weightDecay = " + weightDecay
          + " is invalid: must be finite and >= 0; use 0 to disable, 1e-4..5e-2 is typical for AdamW");
    }
    // Warm-up and total iterations are validated (with their own messages) by the schedule.
    schedule(learningRate, warmupIterations, totalIterations);
  }

  /** AdamW with the given peak learning rate, decoupled weight decay and schedule lengths. */
  public static OptimizerConfig adamW(double learningRate, double weightDecay, int warmupIterations,
                    int totalIterations) {
    return new OptimizerConfig(Algorithm.ADAMW, learningRate, weightDecay, warmupIterations, totalIterations);
  }

  /** Adam with the given peak learning rate and schedule lengths, no weight decay. */
  public static OptimizerConfig adam(double learningRate, int warmupIterations, int totalIterations) {
    return new OptimizerConfig(Algorithm.ADAM, learningRate, 0.0, warmupIterations, totalIterations);
  }

  /** The learning-rate schedule: warm-up to {@link #learningRate()}, cosine decay to 0 at totalIterations. */
  public ISchedule learningRateSchedule() {
    return schedule(learningRate, warmupIterations, totalIterations);
  }

  /** DL4J updater: {@link Adam} driven by {@link #learningRateSchedule()}. */
  public IUpdater updater() {
    return Adam.builder().learningRateSchedule(learningRateSchedule()).build();
  }

  /** Weight regularisation for {@code NeuralNetConfiguration.Builder.regularization(...)}; empty if none. */
  public List<Regularization> weightRegularization() {
    if (weightDecay == 0.0) {
      return List.of();
    }
    return switch (algorithm) {
      case ADAMW -> List.of(new WeightDecay(weightDecay, true));
      case ADAM -> List.of(new L2Regularization(weightDecay));
    };
  }

  private static WarmupCosineSchedule schedule(double lr, int warmup, int total) {
    return WarmupCosineSchedule.iterations(lr, warmup, total);
  }
}

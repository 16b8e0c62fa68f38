package io.pretext.model.optim;

import io.pretext.model.config.OptionCheck;

/**
 * The optimiser settings a method trains with when the command line does not give them ({@code --lr},
 * {@code --weight-decay}, {@code --warmup-epochs}): methods differ here as much as in their own options (a contrastive
 * CNN takes a peak learning rate eight times a Transformer's). Each method names its preset
 * ({@link io.pretext.model.method.SslMethod#optimizerPreset()}); the README's tables give them with their source.
 *
 * @param learningRate peak learning rate after the warm-up, &gt; 0
 * @param weightDecay decoupled weight decay (AdamW) or L2 (Adam), &gt;= 0
 * @param warmupEpochs linear warm-up in epochs before the cosine decay, &gt;= 0
 */
public record OptimizerPreset(double learningRate, double weightDecay, double warmupEpochs) {

  /** The recipe tuned for SimCLR on Fashion-MNIST-sized images (README, Results): AdamW 8e-3, 1e-4, 0.2 epoch. */
  public static final OptimizerPreset CONTRASTIVE = new OptimizerPreset(8e-3, 1e-4, 0.2);

  public OptimizerPreset {
    OptionCheck.require(learningRate > 0 && Double.isFinite(learningRate), "--lr", learningRate, "a number > 0");
    OptionCheck.require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay", weightDecay, "a number >= 0");
    OptionCheck.require(warmupEpochs >= 0 && Double.isFinite(warmupEpochs), "--warmup-epochs", warmupEpochs, "a number >= 0");
  }
}

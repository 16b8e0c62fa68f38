package io.pretext.model.optim;

import io.pretext.model.config.OptionCheck;

/**
 * The training length and optimiser settings a method trains with when the command line does not give them
 * ({@code --epochs}, {@code --lr}, {@code --weight-decay}, {@code --warmup-epochs}): methods differ here as much as in
 * their own options (a contrastive CNN takes a peak learning rate eight times a Transformer's; BYOL needs about twice
 * SimCLR's epochs). Each method names its preset ({@link io.pretext.model.method.SslMethod#trainingPreset()}), so a
 * new method sets its defaults in its own package and no command knows methods by name; the README's tables give the
 * presets with their source. {@code TrainingConfig} validates the values a run resolves, from here or the command line.
 *
 * @param epochs passes over the corpus, &gt;= 1
 * @param learningRate peak learning rate after the warm-up, &gt; 0
 * @param weightDecay decoupled weight decay (AdamW) or L2 (Adam), &gt;= 0
 * @param warmupEpochs linear warm-up in epochs before the cosine decay, &gt;= 0
 */
public record TrainingPreset(int epochs, double learningRate, double weightDecay, double warmupEpochs) {

  /**
   * The recipe tuned for SimCLR on Fashion-MNIST-sized images (README, Results): 4 epochs, AdamW 8e-3, weight decay
   * 1e-4, 0.2 epoch of warm-up.
   */
  public static final TrainingPreset CONTRASTIVE = new TrainingPreset(4, 8e-3, 1e-4, 0.2);

  public TrainingPreset {
    OptionCheck.require(epochs >= 1, "--epochs", epochs, "an integer >= 1");
    OptionCheck.require(learningRate > 0 && Double.isFinite(learningRate), "--lr", learningRate, "a number > 0");
    OptionCheck.require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay", weightDecay, "a number >= 0");
    OptionCheck.require(warmupEpochs >= 0 && Double.isFinite(warmupEpochs), "--warmup-epochs", warmupEpochs, "a number >= 0");
  }

  /** This preset with another number of epochs. */
  public TrainingPreset withEpochs(int n) {
    return new TrainingPreset(n, learningRate, weightDecay, warmupEpochs);
  }
}

package io.pretext.jobs.pretrain;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.data.batches.RoundLayout;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.optim.OptimizerConfig;
import java.io.Serializable;

/**
 * The method-independent training settings of a run: the encoder, how rounds are laid out, the optimiser and its
 * schedule, and the seed. Defaults (in {@code TrainingOptions}) are the demo's tuned recipe for Fashion-MNIST-sized
 * images; the README says why.
 *
 * @param encoder encoder name ({@code small-cnn}, {@code resnet20}, {@code resnet20-wide}, {@code resnet18-small},
 *                {@code resnet50}; text encoders for text)
 * @param workers parameter-averaging workers
 * @param batchSizePerWorker records per worker minibatch (each contributes the method's views, or one sequence)
 * @param averagingFrequency minibatches each worker fits between averagings (one round)
 * @param epochs passes over the dataset
 * @param algorithm {@code ADAMW} or {@code ADAM}
 * @param lr peak learning rate
 * @param weightDecay decoupled (AdamW) or L2 (Adam) weight decay
 * @param warmupEpochs linear warm-up length, in epochs (fractional allowed), then cosine decay to 0
 * @param seed seed of everything random in the run
 */
public record TrainingConfig(String encoder, int workers, int batchSizePerWorker, int averagingFrequency, int epochs,
    OptimizerConfig.Algorithm algorithm, double lr, double weightDecay, double warmupEpochs, long seed) implements Serializable {

  public TrainingConfig {
    Encoders.byName(encoder);
    require(workers >= 1 && workers <= 4096, "--workers", workers, "an integer 1..4096");
    require(batchSizePerWorker >= 2 && batchSizePerWorker <= 65536, "--batch-size-per-worker", batchSizePerWorker,
        "an integer 2..65536 (contrastive losses need at least two records to contrast)");
    require(averagingFrequency >= 1 && averagingFrequency <= 10_000, "--averaging-frequency", averagingFrequency, "an integer 1..10000");
    require(epochs >= 1 && epochs <= 100_000, "--epochs", epochs, "an integer 1..100000");
    require(algorithm != null, "--optimizer", algorithm, "adamw or adam");
    require(lr > 0 && lr < 10 && Double.isFinite(lr), "--lr", lr, "a number in (0, 10)");
    require(weightDecay >= 0 && weightDecay < 1, "--weight-decay", weightDecay, "a number in [0, 1)");
    require(warmupEpochs >= 0 && warmupEpochs <= epochs, "--warmup-epochs", warmupEpochs, "a number in [0, --epochs]");
  }

  public EncoderSpec encoderSpec() {
    return Encoders.byName(encoder);
  }

  public RoundLayout layout() {
    return new RoundLayout(workers, batchSizePerWorker, averagingFrequency);
  }

  /** The optimiser of a run of {@code roundsPerEpoch} rounds per epoch: warm-up then cosine over all its iterations. */
  public OptimizerConfig optimizer(int roundsPerEpoch) {
    int totalIterations = Math.toIntExact((long) epochs * roundsPerEpoch * averagingFrequency);
    int warmup = (int) Math.round(warmupEpochs * roundsPerEpoch * averagingFrequency);
    return new OptimizerConfig(algorithm, lr, weightDecay, Math.min(warmup, totalIterations - 1), totalIterations);
  }
}

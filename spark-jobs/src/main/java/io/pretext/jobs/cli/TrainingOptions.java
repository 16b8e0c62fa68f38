package io.pretext.jobs.cli;

import io.pretext.jobs.pretrain.TrainingConfig;
import io.pretext.model.DatasetKind;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.optim.OptimizerConfig;
import picocli.CommandLine.Option;

/**
 * The method-independent training options of {@code pretrain}, shared with {@code demo} so both have the same
 * defaults: the recipe tuned for Fashion-MNIST-sized images (see the README for why).
 */
public final class TrainingOptions {
  @Option(names = "--method", defaultValue = MethodSelection.DEFAULT_METHOD, paramLabel = "NAME",
      description = "SSL method (default: ${DEFAULT-VALUE}); the list is below, and `--method NAME --help` shows its options.")
  String method;

  @Option(names = "--encoder", paramLabel = "NAME",
      description = "Encoder architecture: small-cnn, resnet18-small, resnet50 for images (default for images: small-cnn).")
  String encoder;

  @Option(names = "--workers", defaultValue = "2", description = "Parameter-averaging workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch-size-per-worker", defaultValue = "128",
      description = "Records per worker minibatch; each gives the method's views (default: ${DEFAULT-VALUE}).")
  int batchSizePerWorker;

  @Option(names = "--averaging-frequency", defaultValue = "5", description = "Minibatches per worker between averagings (default: ${DEFAULT-VALUE}).")
  int averagingFrequency;

  @Option(names = "--epochs", defaultValue = "4", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw or adam (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--lr", defaultValue = "8e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--warmup-epochs", defaultValue = "0.2", description = "Linear warm-up, in epochs, then cosine decay (default: ${DEFAULT-VALUE}).")
  double warmupEpochs;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the run (default: ${DEFAULT-VALUE}).")
  long seed;

  /**
   * The validated group for a method training on {@code kind} data; an encoder not given becomes that kind's default
   * and is stored back into the option, so the run records it.
   */
  public TrainingConfig toConfig(DatasetKind kind) {
    if (encoder == null || encoder.isBlank()) {
      encoder = Encoders.defaultFor(kind);
    }
    OptimizerConfig.Algorithm algorithm = OptionCheck.parseEnum(OptimizerConfig.Algorithm.class, "--optimizer", optimizer, "adamw or adam");
    return new TrainingConfig(encoder, workers, batchSizePerWorker, averagingFrequency, epochs, algorithm, lr, weightDecay,
        warmupEpochs, seed);
  }
}

package io.pretext.jobs.cli;

import io.pretext.jobs.pretrain.TrainingConfig;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.method.SslMethod;
import io.pretext.model.optim.OptimizerConfig;
import io.pretext.model.optim.TrainingPreset;
import picocli.CommandLine.Option;

/**
 * The method-independent training options of {@code pretrain}, shared with {@code demo} so both have the same
 * defaults: the recipe tuned for Fashion-MNIST-sized images (see the README for why).
 */
public final class TrainingOptions {
  @Option(names = "--method", paramLabel = "NAME",
      description = "SSL method (default: the registry's default for the data's kind, simclr for images, mlm for text); the list is"
          + " below, and `--method NAME --help` shows its options.")
  String method;

  @Option(names = "--encoder", paramLabel = "NAME",
      description = "Encoder architecture: small-cnn, resnet20, resnet20-wide, resnet18-small, resnet50 for images"
          + " (default for images: small-cnn).")
  String encoder;

  @Option(names = "--workers", defaultValue = "2", description = "Parameter-averaging workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch-size-per-worker", defaultValue = "128",
      description = "Records per worker minibatch; each gives the method's views (default: ${DEFAULT-VALUE}).")
  int batchSizePerWorker;

  @Option(names = "--averaging-frequency", defaultValue = "5", description = "Minibatches per worker between averagings (default: ${DEFAULT-VALUE}).")
  int averagingFrequency;

  @Option(names = "--epochs", description = "Epochs (default: the method's preset, listed below).")
  Integer epochs;

  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw or adam (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--lr", description = "Peak learning rate (default: the method's preset, listed below).")
  Double lr;

  @Option(names = "--weight-decay", description = "Weight decay (default: the method's preset).")
  Double weightDecay;

  @Option(names = "--warmup-epochs", description = "Linear warm-up, in epochs, then cosine decay (default: the method's preset).")
  Double warmupEpochs;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the run (default: ${DEFAULT-VALUE}).")
  long seed;

  /**
   * The validated group for {@code method}: an encoder not given becomes the default of the method's kind of data,
   * and epochs or an optimiser setting not given the method's {@link TrainingPreset}; both are stored back into the
   * options, so the run records what it trained with.
   */
  public TrainingConfig toConfig(SslMethod method) {
    this.method = method.name();
    if (encoder == null || encoder.isBlank()) {
      encoder = Encoders.defaultFor(method.dataKind());
    }
    TrainingPreset preset = method.trainingPreset();
    epochs = epochs != null ? epochs : preset.epochs();
    lr = lr != null ? lr : preset.learningRate();
    weightDecay = weightDecay != null ? weightDecay : preset.weightDecay();
    warmupEpochs = warmupEpochs != null ? warmupEpochs : preset.warmupEpochs();
    OptimizerConfig.Algorithm algorithm = OptionCheck.parseEnum(OptimizerConfig.Algorithm.class, "--optimizer", optimizer, "adamw or adam");
    return new TrainingConfig(encoder, workers, batchSizePerWorker, averagingFrequency, epochs, algorithm, lr, weightDecay,
        warmupEpochs, seed);
  }
}

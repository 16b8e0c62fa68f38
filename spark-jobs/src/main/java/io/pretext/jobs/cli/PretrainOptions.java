package io.pretext.jobs.cli;

import io.pretext.jobs.pretrain.PretrainConfig;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The training options of {@code pretrain}, shared with {@code demo} so both have the same
 * defaults: the recipe tuned for Fashion-MNIST-sized images (see the README for why).
 */
public final class PretrainOptions {
  @Mixin ViewOptions views;

  @Option(names = "--method", defaultValue = "simclr", description = "SSL method: simclr (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--encoder", defaultValue = "small-cnn", description = "small-cnn, resnet18-small or resnet50 (default: ${DEFAULT-VALUE}).")
  String encoder;

  @Option(names = "--workers", defaultValue = "2", description = "Parameter-averaging workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch-size-per-worker", defaultValue = "128", description = "Images per worker minibatch; two views each (default: ${DEFAULT-VALUE}).")
  int batchSizePerWorker;

  @Option(names = "--averaging-frequency", defaultValue = "5", description = "Minibatches per worker between averagings (default: ${DEFAULT-VALUE}).")
  int averagingFrequency;

  @Option(names = "--epochs", defaultValue = "4", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", defaultValue = "8e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw or adam (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--warmup-epochs", defaultValue = "0.2", description = "Linear warm-up, in epochs, then cosine decay (default: ${DEFAULT-VALUE}).")
  double warmupEpochs;

  @Option(names = "--temperature", defaultValue = "0.2", description = "NT-Xent temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--projection-hidden", defaultValue = "128", split = ",", description = "Projection head hidden widths (default: ${DEFAULT-VALUE}).")
  List<Integer> projectionHidden;

  @Option(names = "--projection-dim", defaultValue = "64", description = "Projection head output width (default: ${DEFAULT-VALUE}).")
  int projectionDim;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the run (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-every", defaultValue = "50", description = "Rounds between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--keep-checkpoints", defaultValue = "3", description = "Complete checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(names = "--monitor-labeled", paramLabel = "URI",
      description = "Labeled dataset for an online kNN accuracy after every epoch (a fifth of it are the queries).")
  String monitorLabeled;

  /** The validated configuration; throws IllegalArgumentException naming the bad option. */
  public PretrainConfig toConfig(String data, String run, boolean resume) {
    io.pretext.model.encoder.Encoders.byName(encoder);
    return new PretrainConfig(data, run, resume, method, encoder, workers, batchSizePerWorker, averagingFrequency, epochs, lr,
        weightDecay, optimizer, warmupEpochs, temperature, projectionHidden, projectionDim, views.cropScaleMin, views.jitter,
        views.jitterProb, views.blurProb, seed, checkpointEvery, keepCheckpoints, monitorLabeled);
  }
}

package io.pretext.jobs.cli;

import io.pretext.jobs.pretrain.PretrainConfig;
import io.pretext.jobs.pretrain.PretrainJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext pretrain}: self-supervised pretraining of an encoder on a prepared dataset. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {"Pretrains an encoder on a prepared, unlabeled image dataset with parameter-averaged DL4J workers on Spark.",
        "Views are generated in the executors every epoch; progress is one line per round; the run directory gets",
        "metrics.jsonl, checkpoints (every --checkpoint-every rounds and at the end) and run.json."})
public final class PretrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;
  @Mixin ViewOptions views;

  @Option(names = "--data", required = true, paramLabel = "URI", description = "Dataset written by prepare-images.")
  String data;

  @Option(names = "--run", required = true, paramLabel = "URI", description = "Run directory (checkpoints, metrics.jsonl, run.json).")
  String run;

  @Option(names = "--resume", description = "Continue from the newest complete checkpoint in --run.")
  boolean resume;

  @Option(names = "--method", defaultValue = "simclr", description = "SSL method: simclr (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--encoder", defaultValue = "small-cnn", description = "small-cnn, resnet18-small or resnet50 (default: ${DEFAULT-VALUE}).")
  String encoder;

  @Option(names = "--workers", defaultValue = "2", description = "Parameter-averaging workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch-size-per-worker", defaultValue = "256", description = "Images per worker minibatch; two views each (default: ${DEFAULT-VALUE}).")
  int batchSizePerWorker;

  @Option(names = "--averaging-frequency", defaultValue = "5", description = "Minibatches per worker between averagings (default: ${DEFAULT-VALUE}).")
  int averagingFrequency;

  @Option(names = "--epochs", defaultValue = "3", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw or adam (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--warmup-epochs", defaultValue = "0.2", description = "Linear warm-up, in epochs, then cosine decay (default: ${DEFAULT-VALUE}).")
  double warmupEpochs;

  @Option(names = "--temperature", defaultValue = "0.5", description = "NT-Xent temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--projection-hidden", defaultValue = "128", split = ",", description = "Projection head hidden widths (default: ${DEFAULT-VALUE}).")
  List<Integer> projectionHidden;

  @Option(names = "--projection-dim", defaultValue = "64", description = "Projection head output width (default: ${DEFAULT-VALUE}).")
  int projectionDim;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the run (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-every", defaultValue = "10", description = "Rounds between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--keep-checkpoints", defaultValue = "3", description = "Complete checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Override
  public Integer call() {
    PretrainConfig config = Commands.validated(spec, () -> {
      io.pretext.model.encoder.Encoders.byName(encoder);
      return new PretrainConfig(data, run, resume, method, encoder, workers, batchSizePerWorker, averagingFrequency, epochs, lr,
          weightDecay, optimizer, warmupEpochs, temperature, projectionHidden, projectionDim, views.cropScaleMin, views.jitter, views.blurProb, seed,
          checkpointEvery, keepCheckpoints, null);
    });
    SparkSession spark = sparkOptions.session("pretext pretrain");
    PretrainJob.Result r = PretrainJob.run(spark, config, spec.commandLine().getErr(), List.of());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("run", r.run());
    fields.put("checkpoint", r.checkpoint());
    fields.put("roundsDone", r.roundsDone());
    fields.put("totalRounds", r.totalRounds());
    fields.put("finalLoss", r.finalLoss());
    fields.put("resumed", r.resumed());
    fields.put("imagesPerSecond", r.imagesPerSecond());
    fields.put("elapsedSeconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "pretrain", fields);
    return 0;
  }
}

package io.pretext.jobs.cli;

import io.pretext.jobs.finetune.ClassifierMonitor;
import io.pretext.jobs.finetune.FineTuneJob;
import io.pretext.jobs.pretrain.PretrainConfig;
import io.pretext.jobs.pretrain.ResumeMode;
import io.pretext.jobs.pretrain.RunConfig;
import io.pretext.jobs.pretrain.SyncMode;
import io.pretext.model.method.finetune.FineTuneOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext finetune}: a pretrained encoder, a fresh classifier, supervised training on a labelled subset. */
@Command(name = "finetune", mixinStandardHelpOptions = true, defaultValueProvider = FineTuneCommand.Defaults.class,
    description = {"Fine-tunes a pretrained image encoder on labelled images.",
        "",
        "Adds a fresh classifier for the labels' classes to the encoder of --model and trains both with cross-entropy on",
        "a stratified, seeded --label-fraction of --train (a --validation-fraction of each class held out first), through",
        "the same distributed trainer as pretrain: parameter averaging, checkpoints, --resume, metrics.jsonl. After every",
        "--evaluate-every epochs the top-1 accuracy on the validation split and on --test is printed and logged; the final",
        "JSON line gives the last epoch's and the epoch the validation accuracy selects among them. --from-scratch trains",
        "the same network from random initialisation, for comparison. Epochs, when not given, grow as the subset shrinks:",
        "ceil(200000 / records), between 10 and 200."})
public final class FineTuneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin TrainingOptions training;

  @Option(names = "--model", paramLabel = "URI", description = "Pretrained run directory (newest complete checkpoint) or checkpoint"
      + " directory; with --from-scratch it gives the architecture only.")
  String model;

  @Option(names = "--train", required = true, paramLabel = "URI", description = "Labelled prepared dataset to draw the training"
      + " subset and the validation split from.")
  String train;

  @Option(names = "--test", required = true, paramLabel = "URI", description = "Labelled prepared dataset, only reported.")
  String test;

  @Option(names = "--run", required = true, paramLabel = "URI", description = "Run directory of the fine-tuning (checkpoints,"
      + " metrics.jsonl, run.json, splits/).")
  String run;

  @Option(names = "--resume", arity = "0..1", defaultValue = "never", fallbackValue = "always", paramLabel = "MODE",
      description = "always, auto or never, as for pretrain (default: ${DEFAULT-VALUE}).")
  String resume;

  @Option(names = "--label-fraction", defaultValue = "1", description = "Fraction of each class's labelled records to train on,"
      + " in (0, 1] (default: ${DEFAULT-VALUE}).")
  double labelFraction;

  @Option(names = "--validation-fraction", defaultValue = "0.1", description = "Fraction of each class held out to choose epochs"
      + " and learning rates on, in [0, 0.5] (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(names = "--from-scratch", description = "Random initialisation instead of the pretrained weights.")
  boolean fromScratch;

  @Option(names = "--evaluate-every", defaultValue = "0", paramLabel = "EPOCHS", description = "Score the validation split and --test"
      + " every EPOCHS epochs and after the last; 0 scores about 20 times per run (default: ${DEFAULT-VALUE}).")
  int evaluateEvery;

  @Option(names = "--checkpoint-every", defaultValue = "50", description = "Rounds between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--keep-checkpoints", defaultValue = "3", description = "Complete checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(names = "--sync", defaultValue = "driver", paramLabel = "MODE", description = "How the workers average, as for pretrain:"
      + " driver (default), allreduce or allreduce-gradients.")
  String sync;

  /**
   * Fine-tuning's own defaults for options it shares with pretrain: 32 records per worker minibatch and 4 minibatches
   * per round, so that a round is 256 records with two workers and 1% of Fashion-MNIST's labels (540 images) still
   * fills two rounds per epoch.
   */
  public static final class Defaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (arg instanceof OptionSpec o) {
        return switch (o.longestName()) {
          case "--batch-size-per-worker" -> "32";
          case "--averaging-frequency" -> "4";
          default -> null;
        };
      }
      return null;
    }
  }

  /** Epochs when {@code --epochs} is not given: ceil(200000 / records), between 10 and 200. */
  static int defaultEpochs(long trainRecords) {
    return (int) Math.max(10, Math.min(200, (200_000 + trainRecords - 1) / Math.max(1, trainRecords)));
  }

  @Override
  public Integer call() {
    FineTuneJob.Settings settings = Commands.validated(spec, () -> new FineTuneJob.Settings(model, train, test, run, ResumeMode.parse(resume),
        labelFraction, validationFraction, fromScratch, training.seed, evaluateEvery));
    if (model == null && (training.encoder == null || training.encoder.isBlank())) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--from-scratch without --model needs --encoder (the architecture)");
    }
    SparkSession session = spark.session("pretext finetune");
    FineTuneJob.Result r = FineTuneJob.run(session, settings, this::config, spec.commandLine().getErr());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("run", r.training().run());
    fields.put("checkpoint", r.training().checkpoint());
    fields.put("pretrained", r.pretrained() == null || fromScratch ? null : r.pretrained().uri());
    fields.put("fromScratch", fromScratch);
    fields.put("classes", r.classes());
    fields.put("labelFraction", labelFraction);
    fields.put("trainRecords", r.split().trainRecords());
    fields.put("validationRecords", r.split().validationRecords());
    List<ClassifierMonitor.EpochScore> scores = r.scores();
    ClassifierMonitor.EpochScore last = scores.isEmpty() ? null : scores.get(scores.size() - 1);
    fields.put("final", last == null ? null : score(last));
    fields.put("selected", r.selected() == null ? null : score(r.selected()));
    fields.put("roundsDone", r.training().roundsDone());
    fields.put("imagesPerSecond", r.training().unitsPerSecond());
    fields.put("elapsedSeconds", r.training().seconds());
    JsonLine.ok(spec.commandLine().getOut(), "finetune", fields);
    return 0;
  }

  private static Map<String, Object> score(ClassifierMonitor.EpochScore s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", s.epoch() + 1);
    m.put("validation", s.validation());
    m.put("test", s.test());
    return m;
  }

  /** The training job, once the subset's size and the classes are known (the job calls it). */
  private PretrainConfig config(int classes, long trainRecords, String trainData, FineTuneJob.Pretrained pretrained,
      SortedMap<String, String> group) {
    ((FineTuneOptions) MethodSelection.methodOptions(spec)).classes = classes;
    if (training.epochs == null) {
      training.epochs = defaultEpochs(trainRecords);
    }
    if (pretrained != null) {
      if (training.encoder != null && !training.encoder.isBlank() && !training.encoder.equals(pretrained.encoder())) {
        throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --encoder: '" + training.encoder + "' but --model "
            + pretrained.uri() + " was pretrained with " + pretrained.encoder() + "; leave --encoder out");
      }
      training.encoder = pretrained.encoder();
    }
    SortedMap<String, String> runGroup = new TreeMap<>();
    runGroup.put("--train", train);
    runGroup.put("--test", test);
    runGroup.put("--run", run);
    runGroup.put("--resume", resume);
    runGroup.put("--checkpoint-every", Integer.toString(checkpointEvery));
    runGroup.put("--keep-checkpoints", Integer.toString(keepCheckpoints));
    runGroup.put("--sync", sync);
    runGroup.put("--evaluate-every", Integer.toString(evaluateEvery));
    runGroup.putAll(OptionValues.of(spec.mixins().get("spark")));
    RunConfig rc = Commands.validated(spec, () -> new RunConfig(trainData, run, ResumeMode.AUTO, checkpointEvery, keepCheckpoints, null, SyncMode.parse(sync)));
    PretrainConfig base = Commands.validated(spec, () -> PretrainCommand.config(spec, rc, training, runGroup));
    SortedMap<String, SortedMap<String, String>> options = new TreeMap<>(base.options());
    options.put(FineTuneJob.GROUP, group);
    return new PretrainConfig(base.run(), base.training(), base.method(), base.recipe(), options);
  }
}

package io.pretext.jobs.cli;

import io.pretext.data.batches.BatchRecipe;
import io.pretext.jobs.pretrain.PretrainConfig;
import io.pretext.jobs.pretrain.PretrainJob;
import io.pretext.jobs.pretrain.RunConfig;
import io.pretext.jobs.pretrain.TrainingConfig;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.method.SslMethod;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pretext pretrain}: self-supervised pretraining of an encoder on a prepared dataset. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {"Pretrains an encoder on an unlabeled dataset.",
        "",
        "Parameter-averaged DL4J workers on Spark train one shared encoder. Minibatches (augmented views, masked tokens)",
        "are made in the executors every epoch; progress is one line per round",
        "on stderr; the run directory gets metrics.jsonl, checkpoints (every --checkpoint-every rounds and at the end) and",
        "run.json. --resume continues a run after a crash, refusing settings that would change what it trains."})
public final class PretrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin RunOptions run;
  @Mixin TrainingOptions training;

  @Override
  public Integer call() {
    PretrainConfig config = Commands.validated(spec, this::config);
    SparkSession session = spark.session("pretext pretrain");
    PretrainJob.Result r = PretrainJob.run(session, config, spec.commandLine().getErr(), List.of());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("run", r.run());
    fields.put("checkpoint", r.checkpoint());
    fields.put("method", config.method().name());
    fields.put("roundsDone", r.roundsDone());
    fields.put("totalRounds", r.totalRounds());
    fields.put("finalLoss", r.finalLoss());
    fields.put("resumed", r.resumed());
    fields.put("sync", config.run().sync().option());
    fields.put("roundsRepeated", r.roundsRepeated());
    fields.put(r.unit() + "PerSecond", r.unitsPerSecond());
    fields.put("elapsedSeconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "pretrain", fields);
    return 0;
  }

  private PretrainConfig config() {
    SortedMap<String, String> runGroup = new TreeMap<>(OptionValues.of(spec.mixins().get("run")));
    runGroup.putAll(OptionValues.of(spec.mixins().get("spark")));
    return config(spec, run.toConfig(), training, runGroup);
  }

  /**
   * The validated job that {@code pretext pretrain args...} would run: the real command line parsed and validated,
   * without starting Spark. For tests and programs that drive the entry point.
   *
   * @throws picocli.CommandLine.ParameterException for a bad command line
   * @throws IllegalArgumentException for an invalid value
   */
  public static PretrainConfig configFrom(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "pretrain";
    System.arraycopy(args, 0, full, 1, args.length);
    CommandLine root = new CommandLine(PretextCli.class).setOverwrittenOptionsAllowed(true);
    MethodSelection.install(root, full);
    CommandLine.ParseResult parsed = root.parseArgs(full);
    PretrainCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
    return command.config();
  }

  /**
   * The validated job of a command holding the training group and the method and recipe mixins
   * ({@link MethodSelection}): every group is validated here, before Spark starts.
   *
   * @param runGroup the resolved values of the options that do not change what is trained
   */
  static PretrainConfig config(CommandSpec spec, RunConfig run, TrainingOptions training, SortedMap<String, String> runGroup) {
    SslMethod method = MethodSelection.methodOptions(spec).toMethod();
    BatchRecipe recipe = MethodSelection.recipeOptions(spec).toRecipe(method);
    TrainingConfig tc = training.toConfig(method);
    SortedMap<String, SortedMap<String, String>> options = new TreeMap<>();
    options.put(RunInfo.RUN_GROUP, runGroup);
    options.put("training", OptionValues.of(spec.mixins().get("training")));
    options.put(MethodSelection.RECIPE, OptionValues.of(spec.mixins().get(MethodSelection.RECIPE)));
    options.put(MethodSelection.METHOD, OptionValues.of(spec.mixins().get(MethodSelection.METHOD)));
    return new PretrainConfig(run, tc, method, recipe, options);
  }
}

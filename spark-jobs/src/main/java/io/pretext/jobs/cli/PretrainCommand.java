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
  @Mixin PretrainOptions options;

  @Option(names = "--data", required = true, paramLabel = "URI", description = "Dataset written by prepare-images.")
  String data;

  @Option(names = "--run", required = true, paramLabel = "URI", description = "Run directory (checkpoints, metrics.jsonl, run.json).")
  String run;

  @Option(names = "--resume", description = "Continue from the newest complete checkpoint in --run.")
  boolean resume;

  @Override
  public Integer call() {
    PretrainConfig config = Commands.validated(spec, () -> options.toConfig(data, run, resume));
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

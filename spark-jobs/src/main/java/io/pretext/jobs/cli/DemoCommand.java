package io.pretext.jobs.cli;

import io.pretext.jobs.demo.FashionMnistDemo;
import io.pretext.jobs.pretrain.PretrainConfig;
import io.pretext.jobs.pretrain.ResumeMode;
import io.pretext.jobs.pretrain.RunConfig;
import io.pretext.model.config.OptionCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext demo}: Fashion-MNIST end to end, with the baselines, in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs Fashion-MNIST end to end with the baselines.",
        "",
        "Prepares Fashion-MNIST's 60,000 training images as an unlabeled corpus, pretrains (SimCLR by default; --method byol)",
        "and evaluates on the 10,000 test images: raw-pixel linear probe, random-init encoder and the pretrained encoder",
        "(linear probe and kNN), then writes the run's HTML report (run/report.html). Every pretrain training option",
        "applies; --quick is a smoke run."})
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;
  @Mixin TrainingOptions training;

  @Option(names = "--fashion-mnist", defaultValue = "/usr/share/datasets/fashion-mnist", paramLabel = "DIR",
      description = "Directory with the four Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}, Debian's dataset-fashion-mnist).")
  String source;

  @Option(names = "--work", defaultValue = "work/demo", paramLabel = "DIR", description = "Working directory (default: ${DEFAULT-VALUE}).")
  String work;

  @Option(names = "--quick", description = "Smoke run: 1 epoch and a 20-iteration linear probe.")
  boolean quick;

  @Option(names = "--resume", description = "Resume the demo's pretraining from its newest checkpoint.")
  boolean resume;

  @Option(names = "--max-iter", defaultValue = "100", description = "Linear-probe iterations (default: ${DEFAULT-VALUE}).")
  int maxIter;

  @Override
  public Integer call() {
    if (quick) {
      training.epochs = 1;
      maxIter = 20;
    }
    PretrainConfig config = Commands.validated(spec, () -> {
      OptionCheck.require(maxIter >= 1, "--max-iter", maxIter, "an integer >= 1");
      RunConfig run = new RunConfig(work + "/corpus", work + "/run", resume ? ResumeMode.ALWAYS : ResumeMode.NEVER, 50, 3, null);
      SortedMap<String, String> runGroup = new TreeMap<>();
      runGroup.put("--data", run.data());
      runGroup.put("--run", run.run());
      runGroup.put("--resume", run.resume().name().toLowerCase(java.util.Locale.ROOT));
      return PretrainCommand.config(spec, run, training, runGroup);
    });
    SparkSession spark = sparkOptions.session("pretext demo");
    FashionMnistDemo.Result r = FashionMnistDemo.run(spark, source, work, config, maxIter, spec.commandLine().getErr());
    spec.commandLine().getOut().print(FashionMnistDemo.table(r.results()));
    spec.commandLine().getOut().println("report: " + r.report());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("results", r.results());
    Map<String, Object> pretrain = new LinkedHashMap<>();
    pretrain.put("run", r.pretrain().run());
    pretrain.put("method", config.method().name());
    pretrain.put("epochs", config.training().epochs());
    pretrain.put("encoder", config.training().encoder());
    pretrain.put("roundsDone", r.pretrain().roundsDone());
    pretrain.put("finalLoss", r.pretrain().finalLoss());
    pretrain.put("imagesPerSecond", r.pretrain().unitsPerSecond());
    pretrain.put("seconds", r.pretrain().seconds());
    fields.put("pretrain", pretrain);
    fields.put("report", r.report());
    fields.put("seconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "demo", fields);
    return 0;
  }
}

package io.pretext.jobs.cli;

import io.pretext.jobs.demo.FashionMnistDemo;
import io.pretext.jobs.demo.TextDemoConfig;
import io.pretext.jobs.demo.WordNetDemo;
import io.pretext.jobs.demo.WordNetGlosses;
import io.pretext.jobs.generative.Reconstruct;
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
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code pretext demo}: Fashion-MNIST (or, with {@code --text}, WordNet's glosses) end to end, with the baselines. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs a demo end to end with its baselines (--text: WordNet).",
        "",
        "Prepares Fashion-MNIST's 60,000 training images as an unlabeled corpus, pretrains (SimCLR by default; --method",
        "names any image method: 'pretext pretrain --help' lists them), monitored every epoch on the labelled test images,",
        "and evaluates on them: raw-pixel linear probe, random-init encoder and the pretrained encoder (linear probe and",
        "kNN); a generative method's reconstructions and samples go to run/reconstruction.png. Then writes the run's HTML",
        "report (run/report.html). Every pretrain training option applies; --quick is a smoke run.",
        "",
        "--text: WordNet's glosses (wordnet-base) split 80/20 by synset, a WordPiece vocabulary of 8,000 trained on the",
        "training glosses (lower-cased, 64 tokens per window), masked-LM pretraining of bert-tiny, then a linear probe of",
        "the lexicographer file (45 classes) on the held-out glosses: pretrained, random init and TF-IDF bag of words."})
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

  @Option(names = "--text", description = "The text demo: WordNet glosses, masked-LM pretraining, lexname probe against TF-IDF.")
  boolean text;

  @Option(names = "--wordnet", defaultValue = WordNetGlosses.DEFAULT_DIR, paramLabel = "DIR",
      description = "--text: WordNet's database directory (default: ${DEFAULT-VALUE}, Debian's wordnet-base).")
  String wordnet;

  @Override
  public Integer call() {
    if (text) {
      return callText();
    }
    if (quick) {
      training.epochs = 1;
      maxIter = 20;
    }
    PretrainConfig config = Commands.validated(spec, () -> {
      OptionCheck.require(maxIter >= 1, "--max-iter", maxIter, "an integer >= 1");
      RunConfig run = new RunConfig(work + "/corpus", work + "/run", resume ? ResumeMode.ALWAYS : ResumeMode.NEVER, 50, 3,
          work + "/" + FashionMnistDemo.TEST_LABELED);
      SortedMap<String, String> runGroup = new TreeMap<>();
      runGroup.put("--data", run.data());
      runGroup.put("--run", run.run());
      runGroup.put("--resume", run.resume().name().toLowerCase(java.util.Locale.ROOT));
      runGroup.put("--monitor", run.monitor());
      return PretrainCommand.config(spec, run, training, runGroup);
    });
    SparkSession spark = sparkOptions.session("pretext demo");
    FashionMnistDemo.Result r = FashionMnistDemo.run(spark, source, work, config, maxIter, spec.commandLine().getErr());
    spec.commandLine().getOut().print(FashionMnistDemo.table(r.results()));
    if (r.reconstruction() != null) {
      spec.commandLine().getOut().print(FashionMnistDemo.reconstructionTable(r.reconstruction()));
    }
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
    if (r.reconstruction() != null) {
      fields.put("reconstruction", Reconstruct.fields(r.reconstruction()));
    }
    fields.put("report", r.report());
    fields.put("seconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "demo", fields);
    return 0;
  }

  /**
   * The text demo: {@link TextDemoConfig}'s settings for every training option the command line does not give, the
   * datasets prepared before the pretraining configuration is made (it reads nothing from them). The JSON line's
   * {@code pretrain.monitor} holds the held-out masked-token accuracy and perplexity after the last epoch
   * ({@link WordNetDemo.HeldOut}), absent when the run had no held-out monitor.
   */
  private Integer callText() {
    ParseResult parsed = spec.commandLine().getParseResult();
    String workDir = parsed.hasMatchedOption("--work") ? work : TextDemoConfig.DEFAULT_WORK;
    TextDemoConfig defaults = TextDemoConfig.defaults(workDir);
    int epochs = parsed.hasMatchedOption("--epochs") ? training.epochs : quick ? 1 : defaults.epochs();
    int iterations = parsed.hasMatchedOption("--max-iter") ? maxIter : quick ? 20 : defaults.maxIter();
    PretrainConfig[] config = new PretrainConfig[1];
    TextDemoConfig demo = Commands.validated(spec, () -> {
      TextDemoConfig d = defaults.with(wordnet, workDir, epochs, iterations);
      setUnlessGiven(parsed, "--encoder", () -> training.encoder = d.encoder());
      setUnlessGiven(parsed, "--batch-size-per-worker", () -> training.batchSizePerWorker = d.batchSizePerWorker());
      training.epochs = d.epochs();
      RunConfig run = new RunConfig(d.train(), d.run(), resume ? ResumeMode.ALWAYS : ResumeMode.NEVER, 50, 3,
          d.heldOutMonitor() ? d.test() : null);
      SortedMap<String, String> runGroup = new TreeMap<>();
      runGroup.put("--data", run.data());
      runGroup.put("--run", run.run());
      runGroup.put("--resume", run.resume().name().toLowerCase(java.util.Locale.ROOT));
      if (run.monitor() != null) {
        runGroup.put("--monitor", run.monitor());
      }
      config[0] = PretrainCommand.config(spec, run, training, runGroup);
      return d;
    });
    SparkSession spark = sparkOptions.session("pretext demo --text");
    java.io.PrintWriter err = spec.commandLine().getErr();
    double prepareSeconds = WordNetDemo.prepare(spark, demo, err);
    WordNetDemo.Result r = WordNetDemo.run(spark, demo, config[0], prepareSeconds, err);
    spec.commandLine().getOut().print(WordNetDemo.table(r.results(), config[0].training().encoder(), r.heldOut()));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("results", r.results());
    fields.put("prepareSeconds", r.prepareSeconds());
    Map<String, Object> pretrain = new LinkedHashMap<>();
    pretrain.put("run", r.pretrain().run());
    pretrain.put("method", config[0].method().name());
    pretrain.put("encoder", config[0].training().encoder());
    pretrain.put("epochs", config[0].training().epochs());
    pretrain.put("roundsDone", r.pretrain().roundsDone());
    pretrain.put("finalLoss", r.pretrain().finalLoss());
    pretrain.put("realTokensPerSecond", r.pretrain().unitsPerSecond());
    pretrain.put("seconds", r.pretrain().seconds());
    if (r.heldOut() != null) {
      pretrain.put("monitor", r.heldOut().json());
    }
    fields.put("pretrain", pretrain);
    fields.put("seconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "demo", fields);
    return 0;
  }

  private static void setUnlessGiven(ParseResult parsed, String option, Runnable set) {
    if (!parsed.hasMatchedOption(option)) {
      set.run();
    }
  }
}

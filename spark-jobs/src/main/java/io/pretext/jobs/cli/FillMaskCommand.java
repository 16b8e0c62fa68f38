package io.pretext.jobs.cli;

import io.pretext.jobs.fillmask.FillMask;
import io.pretext.jobs.fillmask.FillMaskConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pretext fill-mask}: a masked-LM run's most probable tokens at every [MASK] of a text. */
@Command(name = "fill-mask", mixinStandardHelpOptions = true,
    description = {"Predicts the tokens at every [MASK] of a text.",
        "",
        "Needs a masked-LM run (pretrain --method mlm).",
        "",
        "Loads the run's checkpoint with its vocab.txt and case setting, tokenises each TEXT as the training corpus was",
        "(each literal [MASK] becomes the mask token), and prints the --top-k most probable tokens with their",
        "probabilities for every [MASK]: a table on stderr and one JSON line on stdout."})
public final class FillMaskCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--model", required = true, paramLabel = "URI",
      description = "Run directory (newest complete checkpoint) or checkpoint directory of a masked-LM run (pretrain --method mlm).")
  String model;

  @Option(names = "--top-k", defaultValue = "" + FillMaskConfig.DEFAULT_TOP_K,
      description = "Tokens reported per [MASK], most probable first (default: ${DEFAULT-VALUE}).")
  int topK;

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts with at least one [MASK] each, e.g. \"the cat sat on the [MASK]\".")
  List<String> texts = new ArrayList<>();

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    FillMaskConfig config = Commands.validated(spec, () -> new FillMaskConfig(model, topK, texts));
    SparkSession spark = sparkOptions.session("pretext fill-mask");
    FillMask fill = FillMask.load(config.model(), spark.sparkContext().hadoopConfiguration());
    List<int[]> encoded = Commands.validated(spec, () -> config.texts().stream().map(fill::encode).toList());
    List<FillMask.TextResult> results = fill.predict(config.texts(), encoded, config.topK());
    PrintWriter err = spec.commandLine().getErr();
    for (FillMask.TextResult r : results) {
      table(err, r);
    }
    err.flush();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("model", config.model());
    fields.put("checkpoint", fill.checkpoint().dir().toString());
    fields.put("roundsDone", fill.checkpoint().info().roundsDone());
    fields.put("topK", config.topK());
    fields.put("results", results);
    fields.put("seconds", (System.nanoTime() - t0) / 1e9);
    JsonLine.ok(spec.commandLine().getOut(), "fill-mask", fields);
    return 0;
  }

  /** The text, then per [MASK] one row per candidate: rank, token, probability. */
  private static void table(PrintWriter err, FillMask.TextResult r) {
    err.println("fill-mask: " + r.text());
    for (int m = 0; m < r.masks().size(); m++) {
      FillMask.MaskResult mask = r.masks().get(m);
      err.printf(Locale.ROOT, "  [MASK] %d of %d (token %d)%n", m + 1, r.masks().size(), mask.position());
      int rank = 1;
      for (FillMask.Candidate c : mask.predictions()) {
        err.printf(Locale.ROOT, "    %2d  %-20s %8.4f%n", rank++, c.token(), c.probability());
      }
    }
  }
}

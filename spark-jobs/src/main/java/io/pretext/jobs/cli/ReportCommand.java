package io.pretext.jobs.cli;

import io.pretext.jobs.report.ReportConfig;
import io.pretext.jobs.report.RunReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext report}: one self-contained HTML page about a run. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes a self-contained HTML report of a run.",
        "",
        "One HTML file with no script and nothing loaded from elsewhere (charts are inline SVG, pictures inline PNG):",
        "configuration and provenance from run.json, the dataset's counts and its quarantined files, training curves from",
        "metrics.jsonl, the run's augmented views, nearest neighbours by the encoder (computed on Spark), and the",
        "evaluations recorded by evaluate --model RUN next to the pixel and random-init baselines."})
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--run", required = true, paramLabel = "URI", description = "Run directory.")
  String run;

  @Option(names = "--output", paramLabel = "HTML", description = "HTML file to write (default: RUN/" + ReportConfig.DEFAULT_FILE + ").")
  String output;

  @Option(names = "--labeled", paramLabel = "URI",
      description = "Labeled prepared dataset whose images query the neighbour grid (default: the run's own dataset, unlabeled).")
  String labeled;

  @Option(names = "--queries", defaultValue = "10", description = "Query images of the neighbour grid, 0..64; with labels one per class"
      + " first (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--neighbours", defaultValue = "8", description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
  int neighbours;

  @Option(names = "--pool", defaultValue = "10000", description = "Most records searched for neighbours; a larger dataset is thinned by"
      + " record id (default: ${DEFAULT-VALUE}).")
  long pool;

  @Option(names = "--view-rows", defaultValue = "8", description = "Images of the augmented-view grid (default: ${DEFAULT-VALUE}).")
  int viewRows;

  @Option(names = "--quarantine-tiles", defaultValue = "48", description = "Quarantined files shown (default: ${DEFAULT-VALUE}).")
  int quarantineTiles;

  @Option(names = "--preview-bytes", defaultValue = "4194304", description = "Largest quarantined file read for a thumbnail, in bytes"
      + " (default: ${DEFAULT-VALUE}).")
  long previewBytes;

  @Override
  public Integer call() {
    ReportConfig config = Commands.validated(spec, () -> new ReportConfig(run, output == null && run != null ? ReportConfig.defaultOutput(run)
        : output, labeled, queries, neighbours, pool, viewRows, quarantineTiles, previewBytes));
    SparkSession spark = sparkOptions.session("pretext report");
    java.io.PrintWriter err = spec.commandLine().getErr();
    RunReport.Result r = RunReport.write(spark, config, line -> {
      err.println(line);
      err.flush();
    });
    r.notes().forEach(n -> err.println("report: not shown: " + n));
    err.printf("report: %s (%d figures, %.1f KiB, %.1f s)%n", r.output(), r.figures(), r.bytes() / 1024.0, r.seconds()).flush();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("output", r.output());
    fields.put("figures", r.figures());
    fields.put("bytes", r.bytes());
    fields.put("notes", r.notes());
    fields.put("seconds", r.seconds());
    JsonLine.ok(spec.commandLine().getOut(), "report", fields);
    return 0;
  }
}

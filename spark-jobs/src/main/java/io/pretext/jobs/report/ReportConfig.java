package io.pretext.jobs.report;

import static io.pretext.model.config.OptionCheck.require;

/**
 * Validated, immutable settings of {@code pretext report}. Each check names the option, the value and what is
 * allowed; defaults live in {@link io.pretext.jobs.cli.ReportCommand} and {@link #defaults}.
 *
 * @param run the run directory
 * @param output the HTML file to write (any Hadoop URI); default {@code RUN/report.html}
 * @param labeled labeled prepared dataset whose images query the neighbour grid, or null for the run's own dataset
 * @param queries query images (rows) of the neighbour grid, 0..64 (0: no grid; default 10)
 * @param neighbours neighbours per query, 1..32 (default 8)
 * @param pool most records the neighbour search covers, 1..10,000,000 (default 10,000)
 * @param viewRows images (rows) of the augmented-view grid, 0..64 (0: no grid; default 8)
 * @param quarantineTiles quarantined files shown, 0..512 (default 48)
 * @param previewBytes largest quarantined file read for a thumbnail, 1 KiB..64 MiB (default 4 MiB)
 */
public record ReportConfig(String run, String output, String labeled, int queries, int neighbours, long pool, int viewRows,
    int quarantineTiles, long previewBytes) {

  public static final String DEFAULT_FILE = "report.html";

  public ReportConfig {
    require(run != null && !run.isBlank(), "--run", run, "a run directory");
    require(output != null && !output.isBlank() && output.toLowerCase(java.util.Locale.ROOT).endsWith(".html"), "--output", output,
        "a path ending in .html");
    require(labeled == null || !labeled.isBlank(), "--labeled", labeled, "a labeled prepared dataset URI");
    require(queries >= 0 && queries <= 64, "--queries", queries, "an integer 0..64");
    require(neighbours >= 1 && neighbours <= 32, "--neighbours", neighbours, "an integer 1..32");
    require(pool >= 1 && pool <= 10_000_000, "--pool", pool, "an integer 1..10000000");
    require(viewRows >= 0 && viewRows <= 64, "--view-rows", viewRows, "an integer 0..64");
    require(quarantineTiles >= 0 && quarantineTiles <= 512, "--quarantine-tiles", quarantineTiles, "an integer 0..512");
    require(previewBytes >= 1024 && previewBytes <= 64L << 20, "--preview-bytes", previewBytes, "an integer 1024..67108864");
  }

  /** The defaults for {@code run}: the report in {@code RUN/report.html}, neighbours from the run's own dataset. */
  public static ReportConfig defaults(String run) {
    return new ReportConfig(run, defaultOutput(run), null, 10, 8, 10_000, 8, 48, 4L << 20);
  }

  /** {@code RUN/report.html}. */
  public static String defaultOutput(String run) {
    return run.replaceAll("/+$", "") + "/" + DEFAULT_FILE;
  }

  /** The same settings with neighbour queries from {@code labeled}. */
  public ReportConfig withLabeled(String labeledUri) {
    return new ReportConfig(run, output, labeledUri, queries, neighbours, pool, viewRows, quarantineTiles, previewBytes);
  }
}

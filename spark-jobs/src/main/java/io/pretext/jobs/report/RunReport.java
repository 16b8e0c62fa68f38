package io.pretext.jobs.report;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.batches.BatchRecipe;
import io.pretext.data.batches.views.ViewSettings;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.preview.Png;
import io.pretext.data.preview.ViewGrid;
import io.pretext.data.preview.ViewSamples;
import io.pretext.jobs.eval.EvaluationRecord;
import io.pretext.jobs.eval.Evaluations;
import io.pretext.jobs.generative.Reconstruct;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.jobs.pretrain.Provenance;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.DatasetKind;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code pretext report}: one self-contained HTML page about a run, readable offline and small enough to attach to a
 * ticket. It holds:
 * <ul>
 *   <li>the configuration and provenance from {@code run.json} (method, encoder, input, dataset manifest checksum and
 *       whether the dataset still has it, versions, git commit, seed, every option by group) and the training time;
 *   <li>the dataset: the manifest's counts (accepted, duplicates, quarantined by reason) and thumbnails of quarantined
 *       files with their reasons ({@link QuarantinePreview});
 *   <li>curves per round from {@code metrics.jsonl} (loss, learning rate, throughput, the views/fit/averaging split)
 *       and the kNN monitor per epoch ({@link SvgChart});
 *   <li>for image runs, the augmented views of the run's own recipe and seed ({@link ViewSamples}, as
 *       {@code show-views}) and a nearest-neighbour grid ({@link NeighbourGrid}) computed on Spark;
 *   <li>the evaluations {@code evaluate} recorded in the run directory ({@link Evaluations}), trained encoder next to
 *       the random-init and raw-pixel baselines.
 * </ul>
 *
 * <p>Charts are inline SVG and pictures are PNG {@code data:} URIs; the page has no script and a Content Security
 * Policy that forbids loading anything, so it cannot reach the network. A part that cannot be shown (a dataset that
 * was moved, a run without metrics yet) is replaced by a note saying why, and the rest of the report is still
 * written. The page holds no time stamp: the same run gives the same report.
 */
public final class RunReport {
  static final int CHART_WIDTH = 520;
  static final int CHART_HEIGHT = 240;
  static final int VIEW_ROWS_PER_COLUMN = 4;

  private RunReport() {}

  /**
   * What was written.
   *
   * @param output the HTML file
   * @param bytes its size
   * @param figures charts and pictures in it
   * @param notes parts that could not be shown, with the reason
   * @param seconds wall time
   */
  public record Result(String output, long bytes, int figures, List<String> notes, double seconds) {}

  /**
   * Writes the report of {@code config.run()}.
   *
   * @param progress receives one line per stage
   * @throws RunException if the run directory has no {@code run.json}
   */
  public static Result write(SparkSession spark, ReportConfig config, Consumer<String> progress) {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path runPath = new Path(config.run());
    Path runJson = new Path(runPath, RunInfo.FILE_NAME);
    if (!HadoopFiles.exists(runJson, conf)) {
      throw new RunException("--run " + config.run() + " has no " + RunInfo.FILE_NAME + "; it is not a run directory, or its first"
          + " checkpoint has not been written yet");
    }
    RunInfo info = RunInfo.fromJson(HadoopFiles.readString(runJson, conf));
    RunDirectory runDir = new RunDirectory(config.run(), conf);
    RunMetrics metrics = RunMetrics.parse(runDir.readMetrics());
    Evaluations.Listing evaluations = Evaluations.read(runPath, conf);
    Page page = new Page();

    progress.accept("report: configuration and dataset");
    Optional<PreparedDataset> dataset = openDataset(info, conf, page);
    page.section("summary", "Summary", summary(info, metrics, evaluations));
    page.section("configuration", "Configuration and provenance", configuration(info, dataset, conf));
    page.section("dataset", "Dataset", datasetSection(info, dataset, conf, config, page));
    progress.accept("report: training curves");
    page.section("training", "Training", training(metrics, page));
    boolean image = DatasetKind.IMAGE.manifestName().equals(info.input().kind());
    if (image) {
      progress.accept("report: augmented views");
      page.section("views", "Augmented views", views(spark, info, dataset, config, page));
      progress.accept("report: nearest neighbours");
      page.section("neighbours", "Nearest neighbours", neighbours(spark, info, runDir, dataset, config, page));
      Path grid = new Path(config.run(), Reconstruct.GRID);
      if (HadoopFiles.exists(grid, conf)) {
        page.section("reconstructions", "Reconstructions", reconstructions(HadoopFiles.readBytes(grid, conf)));
      }
    }
    page.section("evaluation", "Evaluation", evaluation(info, evaluations, page));

    String html = page.render(info, config.run());
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    HadoopFiles.writeAtomically(new Path(config.output()), bytes, conf);
    return new Result(config.output(), bytes.length, page.figures, List.copyOf(page.notes), (System.nanoTime() - start) / 1e9);
  }

  private static Optional<PreparedDataset> openDataset(RunInfo info, Configuration conf, Page page) {
    try {
      return Optional.of(PreparedDataset.open(info.datasetUri(), conf));
    } catch (DatasetException | UncheckedIOException e) {
      page.note("dataset", "the dataset " + info.datasetUri() + " cannot be opened: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String summary(RunInfo info, RunMetrics metrics, Evaluations.Listing evaluations) {
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("method", info.method());
    kv.put("encoder", info.encoder() + " (" + info.representationDim() + "-d representation, graph vertex " + info.representationVertex() + ")");
    kv.put("input", info.input().toString());
    kv.put("status", (info.complete() ? "complete" : "in progress or stopped") + ": " + info.roundsDone() + " of "
        + info.totalRounds() + " rounds, next epoch " + (info.epoch() + 1));
    kv.put("final loss", Double.isFinite(info.loss()) ? String.format(Locale.ROOT, "%.4f", info.loss()) : "-");
    kv.put("training time", metrics.rounds().isEmpty() ? "no rounds in metrics.jsonl" : duration(metrics.trainingSeconds())
        + (metrics.sessions() > 1 ? " in " + metrics.sessions() + " sessions (resumed " + (metrics.sessions() - 1) + " times)" : ""));
    if (!metrics.rounds().isEmpty()) {
      kv.put("median throughput", String.format(Locale.ROOT, "%.0f %s/s", median(metrics.rounds().stream()
          .mapToDouble(RunMetrics.Round::perSecond).toArray()), metrics.unit()));
    }
    for (EvaluationRecord r : evaluations.records()) {
      if ("trained".equals(r.features()) && r.roundsDone() != null && r.roundsDone() == info.roundsDone()) {
        kv.put("evaluation on " + shortName(r.test()), results(r.results()));
      }
    }
    return Html.keyValues(kv);
  }

  private static String configuration(RunInfo info, Optional<PreparedDataset> dataset, Configuration conf) {
    StringBuilder sb = new StringBuilder();
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("dataset", info.datasetUri());
    String recorded = info.datasetManifestSha256();
    String now = dataset.map(d -> d.manifestSha256(conf)).orElse(null);
    kv.put("dataset manifest SHA-256", recorded + (now == null ? " (the dataset cannot be read now)"
        : now.equals(recorded) ? " (the dataset still has it)" : " (the dataset's manifest is now " + now + ": it changed after training)"));
    kv.put("seed", Long.toString(info.seed()));
    kv.put("git commit", info.gitCommit());
    info.versions().forEach((k, v) -> kv.put("version: " + k, v));
    kv.put("run.json format", Integer.toString(info.formatVersion()));
    kv.put("optimiser steps per worker", Long.toString(info.iterations()));
    sb.append(Html.keyValues(kv));
    sb.append("<h3>Options by group</h3><p class=\"small\">Every option as the run resolved it (<code>run.json</code>); --resume"
        + " compares all groups but <em>run</em>.</p><div class=\"groups\">");
    for (Map.Entry<String, SortedMap<String, String>> group : info.options().entrySet()) {
      List<List<String>> rows = new ArrayList<>();
      group.getValue().forEach((k, v) -> rows.add(List.of(k, v.isEmpty() ? "(unset)" : v)));
      sb.append("<div><h4>").append(Html.escape(group.getKey())).append("</h4>").append(Html.table(List.of("option", "value"), rows))
          .append("</div>");
    }
    return sb.append("</div>").toString();
  }

  private static String datasetSection(RunInfo info, Optional<PreparedDataset> dataset, Configuration conf, ReportConfig config,
      Page page) {
    if (dataset.isEmpty()) {
      return page.noteHtml("dataset");
    }
    DatasetManifest m = dataset.get().manifest();
    StringBuilder sb = new StringBuilder();
    DatasetManifest.Counts c = m.counts();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("seen", Long.toString(c.seen()), "100%"));
    rows.add(List.of("accepted", Long.toString(c.accepted()), percent(c.accepted(), c.seen())));
    rows.add(List.of("duplicates (dropped)", Long.toString(c.duplicates()), percent(c.duplicates(), c.seen())));
    rows.add(List.of("quarantined", Long.toString(c.quarantined()), percent(c.quarantined(), c.seen())));
    QuarantinePreview.byCount(c.quarantinedByReason()).forEach((reason, n) ->
        rows.add(List.of("  quarantined: " + reason, Long.toString(n), percent(n, c.seen()))));
    sb.append("<div class=\"row\">").append(Html.table(List.of("records", "#count", "#share"), rows));
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("kind", m.kind());
    kv.put("source", m.source().uri() + " (" + m.source().format() + ")");
    if (DatasetKind.IMAGE.manifestName().equals(m.kind())) {
      kv.put("images", m.image() == null ? "of different sizes" : m.image().channels() + "x" + m.image().height() + "x" + m.image().width());
    }
    kv.put("labels", m.labelNames() != null ? String.join(", ", m.labelNames()) : "none named");
    kv.put("shards", m.shards().size() + " (" + m.totalRecords() + " records)");
    kv.put("prepare seed", Long.toString(m.seed()));
    sb.append(Html.keyValues(kv)).append("</div>");

    if (c.quarantined() > 0 && config.quarantineTiles() > 0) {
      try {
        List<QuarantinePreview.Entry> entries = QuarantinePreview.sample(dataset.get().root(), conf, config.quarantineTiles());
        sb.append("<h3>Quarantined files</h3><p class=\"small\">").append(entries.size()).append(" of ").append(c.quarantined())
            .append(", taking each reason in turn");
        if (DatasetKind.IMAGE.manifestName().equals(m.kind())) {
          sb.append("; files up to ").append(QuarantinePreview.bytes(config.previewBytes()))
              .append(" are read and decoded leniently, so a truncated image shows as far as it decodes.</p>");
          sb.append(quarantineTiles(entries, conf, config.previewBytes(), page));
        } else {
          List<List<String>> listed = new ArrayList<>();
          entries.forEach(e -> listed.add(List.of(e.source(), e.reason(), e.detail())));
          sb.append(".</p>").append(Html.table(List.of("source", "reason", "detail"), listed));
        }
      } catch (IOException | UncheckedIOException e) {
        page.note("quarantine", "the quarantine listing cannot be read: " + e.getMessage());
        sb.append(page.noteHtml("quarantine"));
      }
    } else if (c.quarantined() == 0) {
      sb.append("<p>No record was quarantined.</p>");
    }
    return sb.toString();
  }

  /** One tile per quarantined image file: its thumbnail, or a placeholder that says why there is none. */
  private static String quarantineTiles(List<QuarantinePreview.Entry> entries, Configuration conf, long previewBytes, Page page) {
    StringBuilder sb = new StringBuilder("<div class=\"tiles\">");
    for (QuarantinePreview.Entry e : entries) {
      QuarantinePreview.Tile t = QuarantinePreview.preview(e, conf, previewBytes);
      sb.append("<figure class=\"tile check\" data-kind=\"quarantine\">");
      if (t.png() != null) {
        // Small images are enlarged to the tile's side, pixel for pixel.
        int scale = Math.max(1, QuarantinePreview.SIDE / Math.max(t.width(), t.height()));
        sb.append(Html.png(t.png(), t.width(), t.height(), t.width() * scale, t.height() * scale, e.source(), scale > 1));
      } else {
        sb.append(QuarantinePreview.placeholderSvg(e.reason(), QuarantinePreview.SIDE));
      }
      page.figures++;
      sb.append("<figcaption><b>").append(Html.escape(e.reason())).append("</b> ").append(Html.escape(shortName(e.source())))
          .append("<br><span class=\"detail\">").append(Html.escape(e.detail())).append("</span><br><i>")
          .append(Html.escape(t.note())).append("</i></figcaption></figure>");
    }
    return sb.append("</div>").toString();
  }

  private static String training(RunMetrics metrics, Page page) {
    if (metrics.rounds().isEmpty()) {
      page.note("training", "metrics.jsonl has no round lines yet");
      return page.noteHtml("training");
    }
    List<RunMetrics.Round> rounds = metrics.rounds();
    double[] x = rounds.stream().mapToDouble(RunMetrics.Round::roundsDone).toArray();
    double[] marks = metrics.epochStarts();
    StringBuilder sb = new StringBuilder("<p class=\"small\">Per round (x: rounds done); dashed lines start a new epoch");
    if (rounds.size() > SvgChart.MAX_POINTS) {
      sb.append("; ").append(rounds.size()).append(" rounds are drawn as ").append(SvgChart.MAX_POINTS).append(" bucket means");
    }
    sb.append(".</p><div class=\"charts\">");
    sb.append(page.chart("loss", SvgChart.Lines.of("Training loss", "round", "loss",
        List.of(new SvgChart.Series("loss", x, series(rounds, RunMetrics.Round::loss)))).withMarks(marks).withWholeX()
        .svg(CHART_WIDTH, CHART_HEIGHT)));
    sb.append(page.chart("lr", SvgChart.Lines.of("Learning rate", "round", "learning rate",
        List.of(new SvgChart.Series("lr", x, series(rounds, RunMetrics.Round::lr)))).withMarks(marks).withWholeX()
        .svg(CHART_WIDTH, CHART_HEIGHT)));
    sb.append(page.chart("throughput", SvgChart.Lines.of("Throughput", "round", metrics.unit() + "/s",
        List.of(new SvgChart.Series(metrics.unit() + "/s", x, series(rounds, RunMetrics.Round::perSecond)))).withMarks(marks).withWholeX()
        .svg(CHART_WIDTH, CHART_HEIGHT)));
    sb.append(page.chart("split", SvgChart.Lines.of("Round time split", "round", "seconds", List.of(
        new SvgChart.Series("batches", x, series(rounds, RunMetrics.Round::viewSeconds)),
        new SvgChart.Series("fit", x, series(rounds, RunMetrics.Round::fitSeconds)),
        new SvgChart.Series("averaging", x, series(rounds, RunMetrics.Round::averagingSeconds))))
        .withMarks(marks).withWholeX().withStackedAreas().svg(CHART_WIDTH, CHART_HEIGHT)));
    List<RunMetrics.Monitor> monitor = metrics.monitor();
    boolean text = !monitor.isEmpty() && monitor.get(0).kind().equals("mlm");
    if (!monitor.isEmpty()) {
      double[] ex = monitor.stream().mapToDouble(k -> k.epoch() + 1).toArray();
      double[] ey = monitor.stream().mapToDouble(RunMetrics.Monitor::accuracy).toArray();
      String title = text ? "Masked-token accuracy (held-out text)" : "kNN monitor (labeled holdout)";
      sb.append(page.chart("monitor", SvgChart.Lines.of(title, "epoch", "accuracy",
          List.of(new SvgChart.Series(text ? "masked-token accuracy" : "kNN accuracy", ex, ey))).withWholeX().withYWithin(0, 1)
          .svg(CHART_WIDTH, CHART_HEIGHT)));
      if (text) {
        double[] perplexity = monitor.stream().mapToDouble(RunMetrics.Monitor::perplexity).toArray();
        sb.append(page.chart("perplexity", SvgChart.Lines.of("Perplexity (held-out text)", "epoch", "perplexity",
            List.of(new SvgChart.Series("perplexity", ex, perplexity))).withWholeX().svg(CHART_WIDTH, CHART_HEIGHT)));
      }
    }
    sb.append("</div>");
    if (monitor.isEmpty()) {
      sb.append("<p class=\"small\">No monitor: the run was trained without <code>--monitor</code>.</p>");
    }
    if (!metrics.malformed().isEmpty()) {
      page.note("metrics", "metrics.jsonl lines left out: " + String.join("; ", metrics.malformed()));
      sb.append(page.noteHtml("metrics"));
    }
    return sb.toString();
  }

  private static String views(SparkSession spark, RunInfo info, Optional<PreparedDataset> dataset, ReportConfig config, Page page) {
    if (config.viewRows() == 0) {
      return "<p>Not drawn (--view-rows 0).</p>";
    }
    if (dataset.isEmpty()) {
      return "<p>Not drawn: the dataset cannot be read.</p>";
    }
    try {
      BatchRecipe recipe = MethodRebuild.recipe(info);
      if (!(recipe instanceof ViewSettings views)) {
        return "<p>Not drawn: method " + Html.escape(info.method()) + " does not train on views.</p>";
      }
      List<FloatImage[]> rows = ViewSamples.rows(spark, dataset.get(), views, info.seed(), config.viewRows(), 0);
      DatasetManifest.ImageGeometry g = dataset.get().manifest().image();
      int tile = Math.max(56, Math.min(128, 2 * Math.max(g.height(), g.width())));
      StringBuilder sb = new StringBuilder("<p class=\"small\">Each row: an image of the dataset (the first by id), then the ")
          .append(views.views()).append(" views pretraining made of it in epoch 1, with the run's recipe and seed ")
          .append(info.seed()).append(" (<code>pretext show-views</code> draws the same).</p>");
      List<List<String>> recipeRows = new ArrayList<>();
      for (int v = 0; v < views.views(); v++) {
        recipeRows.add(List.of("view " + (v + 1), fmt(views.cropScaleMin().get(v)), fmt(views.jitter().get(v)), fmt(views.jitterProb().get(v)),
            fmt(views.blurProb().get(v)), fmt(views.solarizeProb().get(v))));
      }
      sb.append("<div class=\"row\">");
      // Columns of at most VIEW_ROWS_PER_COLUMN images side by side keep the grid about as tall as it is wide.
      for (int from = 0; from < rows.size(); from += VIEW_ROWS_PER_COLUMN) {
        BufferedImage grid = ViewGrid.render(rows.subList(from, Math.min(rows.size(), from + VIEW_ROWS_PER_COLUMN)), tile, 4);
        sb.append(page.picture("views", Html.png(Png.encode(grid), grid.getWidth(), grid.getHeight(), grid.getWidth(), grid.getHeight(),
            "augmented views", false)));
      }
      sb.append(Html.table(List.of("", "#crop scale min", "#jitter", "#jitter p", "#blur p", "#solarize p"), recipeRows)).append("</div>");
      return sb.toString();
    } catch (RunException | DatasetException | IllegalArgumentException e) {
      page.note("views", "the views cannot be drawn: " + e.getMessage());
      return page.noteHtml("views");
    }
  }

  /**
   * The grid {@code pretext reconstruct} (or the demo) wrote into the run directory, shown as it is: its size is read from
   * the PNG header, the image itself is not decoded here.
   */
  private static String reconstructions(byte[] png) {
    boolean valid = png.length > 24 && (png[0] & 0xFF) == 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G'
        && png[12] == 'I' && png[13] == 'H' && png[14] == 'D' && png[15] == 'R';
    if (!valid) {
      return "<p>Not shown: " + Reconstruct.GRID + " in the run directory is not a PNG.</p>";
    }
    int width = java.nio.ByteBuffer.wrap(png, 16, 4).getInt();
    int height = java.nio.ByteBuffer.wrap(png, 20, 4).getInt();
    return "<p class=\"small\">Rows of test images, each above the row of their reconstructions (then, for a VAE, images decoded"
        + " from the prior), as <code>pretext reconstruct</code> drew them.</p>" + Html.png(png, width, height, width, height,
        "reconstructions", true);
  }

  private static String neighbours(SparkSession spark, RunInfo info, RunDirectory runDir, Optional<PreparedDataset> runDataset,
      ReportConfig config, Page page) {
    if (config.queries() == 0) {
      return "<p>Not drawn (--queries 0).</p>";
    }
    try {
      Optional<Checkpoint> checkpoint = runDir.latest();
      if (checkpoint.isEmpty()) {
        page.note("neighbours", "the run has no complete checkpoint yet");
        return page.noteHtml("neighbours");
      }
      PreparedDataset pool = config.labeled() != null ? PreparedDataset.open(config.labeled(), spark)
          : runDataset.orElseThrow(() -> new DatasetException("the run's dataset cannot be read; give --labeled URI"));
      NeighbourGrid.Result r = NeighbourGrid.compute(spark, checkpoint.get(), pool, config.queries(), config.neighbours(), config.pool());
      StringBuilder sb = new StringBuilder("<p class=\"small\">Queries from ").append(Html.escape(pool.root().toString()))
          .append(config.labeled() == null ? " (the run's own dataset; give <code>--labeled URI</code> for labeled queries)" : "")
          .append(", each followed by its ").append(config.neighbours()).append(" nearest neighbours among ").append(r.poolSize())
          .append(" records of it by cosine similarity of the encoder's representation (checkpoint of round ")
          .append(checkpoint.get().info().roundsDone()).append("). Captions: similarity")
          .append(r.labeled() ? " and class; a green frame is the query's class, a red one another class." : ".").append("</p>");
      sb.append("<table class=\"nn check\" data-kind=\"neighbours\">");
      for (NeighbourGrid.GridRow row : r.rows()) {
        sb.append("<tr>").append(cell(row.query(), "query"));
        for (NeighbourGrid.Cell c : row.neighbours()) {
          sb.append(cell(c, c.sameLabel() == null ? "plain" : c.sameLabel() ? "same" : "other"));
        }
        sb.append("</tr>");
        page.figures += 1 + row.neighbours().size();
      }
      sb.append("</table>");
      if (r.labeled()) {
        long same = r.rows().stream().flatMap(x -> x.neighbours().stream()).filter(c -> Boolean.TRUE.equals(c.sameLabel())).count();
        long all = r.rows().stream().mapToLong(x -> x.neighbours().size()).sum();
        sb.append("<p>").append(same).append(" of ").append(all).append(" neighbours (").append(percent(same, all))
            .append(") share their query's class.</p>");
      }
      return sb.toString();
    } catch (RunException | DatasetException | IllegalArgumentException e) {
      page.note("neighbours", "the neighbour grid cannot be computed: " + e.getMessage());
      return page.noteHtml("neighbours");
    }
  }

  private static String cell(NeighbourGrid.Cell c, String kind) {
    return "<td class=\"" + kind + "\">" + Html.png(c.png(), c.natural(), c.natural(), c.display(), c.display(), c.caption(), true)
        + "<br>" + Html.escape(c.caption()) + "</td>";
  }

  private static String evaluation(RunInfo info, Evaluations.Listing listing, Page page) {
    StringBuilder sb = new StringBuilder();
    if (listing.records().isEmpty()) {
      sb.append("<p>No evaluation recorded yet. <code>pretext evaluate --model RUN --train TRAIN --test TEST</code> records its"
          + " results here; add <code>--features random</code> and <code>--features pixels</code> for the baselines.</p>");
    } else {
      // One chart per (train, test): the newest trained checkpoint next to the baselines.
      Map<String, List<EvaluationRecord>> byData = new TreeMap<>();
      for (EvaluationRecord r : listing.records()) {
        byData.computeIfAbsent(r.train() + "\n" + r.test(), k -> new ArrayList<>()).add(r);
      }
      sb.append("<div class=\"charts\">");
      for (List<EvaluationRecord> group : byData.values()) {
        List<SvgChart.BarGroup> bars = new ArrayList<>();
        for (String features : List.of("pixels", "random", "trained")) {
          Map<String, Double> merged = merged(group, features);
          if (!merged.isEmpty()) {
            String name = switch (features) {
              case "pixels" -> "raw pixels";
              case "random" -> "random init";
              default -> info.method() + " (round " + newestRound(group) + ")";
            };
            bars.add(new SvgChart.BarGroup(name, new double[] {
                merged.getOrDefault("linear", Double.NaN), merged.getOrDefault("knn", Double.NaN)}));
          }
        }
        EvaluationRecord first = group.get(0);
        sb.append(page.chart("evaluation", SvgChart.bars("Test accuracy on " + shortName(first.test()), "top-1 accuracy",
            List.of("linear probe", "kNN"), bars, "%.4f", CHART_WIDTH, CHART_HEIGHT + 40)));
      }
      sb.append("</div>");
      List<List<String>> rows = new ArrayList<>();
      for (EvaluationRecord r : listing.records()) {
        rows.add(List.of(r.features(), r.roundsDone() == null ? "-" : Long.toString(r.roundsDone()), r.protocol(), shortName(r.train()),
            shortName(r.test()), accuracy(r.results().get("linear")), accuracy(r.results().get("knn")), settings(r.settings()),
            String.format(Locale.ROOT, "%.1f s", r.seconds())));
      }
      sb.append(Html.table(List.of("features", "#round", "protocol", "train", "test", "#linear", "#kNN", "settings", "#time"), rows));
    }
    if (!listing.unreadable().isEmpty()) {
      page.note("evaluation", "files in evaluations/ left out: " + String.join("; ", listing.unreadable()));
      sb.append(page.noteHtml("evaluation"));
    }
    return sb.toString();
  }

  /** The results of {@code features}: for each protocol, the record of the newest round (then file order) that has it. */
  static Map<String, Double> merged(List<EvaluationRecord> group, String features) {
    List<EvaluationRecord> of = new ArrayList<>(group.stream().filter(r -> r.features().equals(features)).toList());
    of.sort((a, b) -> Long.compare(b.roundsDone() == null ? -1 : b.roundsDone(), a.roundsDone() == null ? -1 : a.roundsDone()));
    Map<String, Double> out = new LinkedHashMap<>();
    if ("trained".equals(features) && !of.isEmpty()) {
      Long newest = of.get(0).roundsDone();
      of.removeIf(r -> !java.util.Objects.equals(r.roundsDone(), newest));
    }
    for (EvaluationRecord r : of) {
      r.results().forEach(out::putIfAbsent);
    }
    return out;
  }

  private static long newestRound(List<EvaluationRecord> group) {
    return group.stream().filter(r -> r.features().equals("trained") && r.roundsDone() != null).mapToLong(EvaluationRecord::roundsDone)
        .max().orElse(-1);
  }

  private static double[] series(List<RunMetrics.Round> rounds, java.util.function.ToDoubleFunction<RunMetrics.Round> f) {
    return rounds.stream().mapToDouble(f).toArray();
  }

  private static String results(Map<String, Double> results) {
    StringBuilder sb = new StringBuilder();
    for (String protocol : List.of("linear", "knn")) {
      if (results.containsKey(protocol)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(protocol.equals("knn") ? "kNN" : "linear probe").append(" ")
            .append(accuracy(results.get(protocol)));
      }
    }
    return sb.toString();
  }

  private static String settings(Map<String, Object> settings) {
    StringBuilder sb = new StringBuilder();
    settings.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" ").append(v));
    return sb.toString();
  }

  private static String accuracy(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d h %02d min %02d s", s / 3600, s / 60 % 60, s % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
  }

  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The last path element of a URI or source (with its fragment), for narrow table cells. */
  static String shortName(String uri) {
    String s = uri.replaceAll("/+$", "");
    int slash = s.lastIndexOf('/');
    return slash < 0 ? s : s.substring(slash + 1);
  }

  /** The page being built: sections in order, the notes, and the count of figures. */
  private static final class Page {
    final List<String[]> sections = new ArrayList<>();
    final Map<String, String> noteBySection = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    int figures;

    void section(String id, String title, String body) {
      sections.add(new String[] {id, title, body});
    }

    void note(String part, String text) {
      noteBySection.put(part, text);
      notes.add(part + ": " + text);
    }

    String noteHtml(String part) {
      return "<p class=\"note\">" + Html.escape(noteBySection.get(part)) + "</p>";
    }

    String chart(String kind, String svg) {
      figures++;
      return "<figure class=\"check\" data-kind=\"" + kind + "\">" + svg + "</figure>";
    }

    String picture(String kind, String img) {
      figures++;
      return "<figure class=\"check\" data-kind=\"" + kind + "\">" + img + "</figure>";
    }

    String render(RunInfo info, String run) {
      StringBuilder sb = new StringBuilder(1 << 16);
      sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .append("<title>Pretext run report: ").append(Html.escape(shortName(run))).append("</title><style>").append(CSS).append("</style></head><body>\n");
      sb.append("<header><h1>Run report: ").append(Html.escape(shortName(run))).append("</h1><p class=\"mono\">").append(Html.escape(run))
          .append("</p><p>").append(Html.escape(info.method())).append(" &middot; ").append(Html.escape(info.encoder())).append(" &middot; ")
          .append(Html.escape(info.input().toString())).append(" &middot; ").append(info.roundsDone()).append("/").append(info.totalRounds())
          .append(" rounds</p><nav>");
      for (String[] s : sections) {
        sb.append("<a href=\"#").append(s[0]).append("\">").append(Html.escape(s[1])).append("</a>");
      }
      sb.append("</nav></header>\n");
      for (String[] s : sections) {
        sb.append("<section id=\"").append(s[0]).append("\"><h2>").append(Html.escape(s[1])).append("</h2>").append(s[2]).append("</section>\n");
      }
      sb.append("<footer>Written by <code>pretext report</code>, Pretext ").append(Html.escape(Provenance.versions().get("pretext")))
          .append(" (git ").append(Html.escape(Provenance.gitCommit())).append("). Self-contained: no script, nothing loaded from"
              + " elsewhere.</footer>\n</body></html>\n");
      return sb.toString();
    }
  }

  private static final String CSS = String.join("",
      "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#222;margin:0 auto;max-width:1120px;padding:12px 24px 40px;line-height:1.4;font-size:14px}",
      "h1{font-size:22px;margin:8px 0 2px}h2{font-size:18px;border-bottom:2px solid #0072B2;padding-bottom:3px;margin:28px 0 10px}",
      "h3{font-size:15px;margin:18px 0 6px}h4{font-size:13px;margin:6px 0 4px;color:#0072B2}header p{margin:2px 0}",
      "nav{margin-top:8px}nav a{margin-right:14px;color:#0072B2;text-decoration:none}",
      "table{border-collapse:collapse;font-size:13px;margin:4px 0}th,td{padding:3px 8px;text-align:left;vertical-align:top;",
      "border-bottom:1px solid #eee}th{background:#f6f6f6}.kv th{background:none;color:#555;font-weight:normal;white-space:nowrap}",
      ".num{text-align:right;font-variant-numeric:tabular-nums}code,.mono{font-family:'DejaVu Sans Mono',monospace;font-size:12px;",
      "word-break:break-all}.small{font-size:12px;color:#555}.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}",
      ".groups{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}",
      ".charts{display:flex;flex-wrap:wrap;gap:14px}figure{margin:0}img.px{image-rendering:pixelated}",
      ".tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}.tile{font-size:11px;",
      "word-break:break-all}.tile img,.tile svg{display:block;box-shadow:0 0 0 1px #ccc;background:#fff}.detail{color:#555}",
      // Frames are shadows, not borders: a picture's box stays the size it declares.
      ".nn td{padding:5px 5px 2px;text-align:center;font-size:10px;border:none}.nn img{display:block;margin:0 auto 3px}",
      ".nn .query img{box-shadow:0 0 0 3px #333}.nn .same img{box-shadow:0 0 0 3px #009E73}.nn .other img{box-shadow:0 0 0 3px #D55E00}",
      ".note{background:#fff8e1;border-left:4px solid #E69F00;padding:6px 10px}footer{margin-top:36px;font-size:12px;color:#666}");
}

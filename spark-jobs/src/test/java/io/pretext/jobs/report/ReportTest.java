package io.pretext.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.eval.EvaluationRecord;
import io.pretext.jobs.eval.Evaluations;
import io.pretext.jobs.run.RunInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real run ({@link ReportFixture}), read as HTML: every part is there with the run's own values, the
 * page loads nothing from elsewhere, the same run gives the same bytes, and a run whose dataset has gone still gets a
 * report that says so. {@link ReportBrowserTest} renders the same page in Chromium.
 */
class ReportTest {
  @TempDir static Path tmp;
  static ReportFixture fx;
  static String html;
  static RunInfo info;

  @BeforeAll
  static void report() throws IOException {
    fx = ReportFixture.get();
    html = Files.readString(fx.report);
    info = RunInfo.fromJson(Files.readString(fx.run.resolve(RunInfo.FILE_NAME)));
  }

  @Test
  void theCommandSaysWhatItWrote() {
    assertTrue(fx.reportOut.contains("\"command\":\"report\"") && fx.reportOut.contains("\"status\":\"ok\""), fx.reportOut);
    assertTrue(fx.reportOut.contains("\"output\":\"" + fx.run + "/report.html\""), fx.reportOut);
    assertTrue(fx.reportOut.contains("\"notes\":[]"), "every part could be shown: " + fx.reportOut);
  }

  @Test
  void provenanceAndEveryOptionOfRunJson() {
    assertTrue(html.contains(info.datasetManifestSha256() + " (the dataset still has it)"), "manifest checksum checked against the dataset");
    assertTrue(html.contains(Html.escape(info.gitCommit())));
    assertTrue(html.contains("<th>seed</th><td>7</td>"));
    info.versions().forEach((k, v) -> assertTrue(html.contains("version: " + k + "</th><td>" + Html.escape(v)), k));
    assertEquals(List.of("method", "recipe", "run", "training"), List.copyOf(info.options().keySet()));
    for (Map.Entry<String, SortedMap<String, String>> g : info.options().entrySet()) {
      assertTrue(html.contains("<h4>" + g.getKey() + "</h4>"), g.getKey());
      g.getValue().forEach((k, v) -> assertTrue(html.contains("<td>" + k + "</td><td>" + Html.escape(v.isEmpty() ? "(unset)" : v) + "</td>"),
          g.getKey() + " " + k + " = " + v));
    }
    assertTrue(html.contains("complete: 10 of 10 rounds"), "status from run.json");
    assertTrue(Pattern.compile("<th>training time</th><td>(\\d+ min )?\\d+ s</td>").matcher(html).find(), "training time");
  }

  @Test
  void datasetCountsAndOneTilePerQuarantinedFile() {
    // 90 images + a duplicate + 6 broken files.
    assertTrue(html.contains("<td>seen</td><td class=\"num\">97</td>"), "seen");
    assertTrue(html.contains("<td>accepted</td><td class=\"num\">90</td>"));
    assertTrue(html.contains("<td>duplicates (dropped)</td><td class=\"num\">1</td>"));
    assertTrue(html.contains("<td>quarantined</td><td class=\"num\">6</td>"));
    for (String reason : List.of("empty", "not_an_image", "truncated", "unsupported", "oversized")) {
      assertTrue(html.contains("quarantined: " + reason + "</td>"), reason);
    }
    assertEquals(6, count("data-kind=\"quarantine\""));
    for (String file : List.of("empty.png", "notes.txt", "cut.png", "cut.jpg", "cmyk.jpg", "bomb.png")) {
      assertTrue(html.contains("</b> " + file + "<br>"), file);
    }
    // The bomb is never decoded, the empty file has nothing to decode; the truncated JPEG decodes in part.
    assertTrue(html.contains("header declares 50000x50000: not decoded"));
    assertTrue(html.contains("<i>0 bytes</i>"));
    assertTrue(html.contains("64x64, decoded in part"), "the truncated JPEG shows as far as it decodes");
  }

  @Test
  void trainingCurvesFromMetrics() {
    for (String kind : List.of("loss", "lr", "throughput", "split", "monitor")) {
      assertEquals(1, count("data-kind=\"" + kind + "\""), kind);
    }
    // 10 rounds: loss, lr and throughput are 10-point paths; the split has 3 stacked areas; kNN has one point per epoch.
    Matcher loss = Pattern.compile("data-kind=\"loss\"><svg.*?<path class=\"series\" d=\"([^\"]*)\"").matcher(html);
    assertTrue(loss.find());
    assertEquals(10, loss.group(1).split("[ML]").length - 1);
    assertEquals(1, Pattern.compile("class=\"mark\"").matcher(section("loss")).results().count(), "one epoch boundary");
    assertEquals(3, Pattern.compile("<path class=\"series\"").matcher(section("split")).results().count());
    Matcher knn = Pattern.compile("data-kind=\"monitor\"><svg.*?<path class=\"series\" d=\"([^\"]*)\"").matcher(html);
    assertTrue(knn.find());
    assertEquals(2, knn.group(1).split("[ML]").length - 1);
  }

  @Test
  void viewsAndNeighbours() {
    // 4 rows of an original and 2 views in one column, 56 px tiles, 4 px gutters.
    assertEquals(1, count("data-kind=\"views\""));
    assertTrue(section("views").contains("width=\"" + (3 * 56 + 4 * 4) + "\" height=\"" + (4 * 56 + 5 * 4) + "\""), section("views"));
    String nn = html.substring(html.indexOf("<table class=\"nn check\""), html.indexOf("</table>", html.indexOf("<table class=\"nn check\"")));
    assertEquals(ReportFixture.QUERIES, count(nn, "<tr>"));
    assertEquals(ReportFixture.QUERIES, count(nn, "class=\"query\""));
    assertEquals(ReportFixture.QUERIES * 8, count(nn, "class=\"same\"") + count(nn, "class=\"other\""));
    for (String c : ReportFixture.CLASSES) {
      assertTrue(nn.contains("query: " + c), "one query per class: " + c);
    }
    assertTrue(html.contains("among 30 records"), "the labeled test set is the pool");
  }

  @Test
  void evaluationsNextToTheBaselines() throws IOException {
    Evaluations.Listing listing = Evaluations.read(new org.apache.hadoop.fs.Path(fx.run.toString()), new Configuration());
    assertEquals(3, listing.records().size());
    String chart = section("evaluation");
    assertEquals(2 + 2 + 1, count(chart, "<rect class=\"bar\""), "linear+kNN for trained and random, linear for pixels");
    for (EvaluationRecord r : listing.records()) {
      for (double v : r.results().values()) {
        assertTrue(chart.contains(String.format(java.util.Locale.ROOT, "%.4f", v)), r.features() + " " + v);
      }
    }
    assertTrue(chart.contains("raw pixels") && chart.contains("random init") && chart.contains("simclr (round 10)"));
  }

  @Test
  void selfContainedAndDeterministic() throws IOException {
    assertTrue(html.contains("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\""));
    assertFalse(html.contains("<script"), "no script");
    // The only URL is the SVG namespace, which is a name, not a fetch.
    String text = html.replace("http://www.w3.org/2000/svg", "").replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "");
    Matcher urls = Pattern.compile("(https?:)?//[a-zA-Z0-9.-]+").matcher(text);
    assertFalse(urls.find(), () -> "a URL in the page: " + urls.group());
    Path again = tmp.resolve("again.html");
    ReportFixture.cli("report", "--run", fx.run.toString(), "--labeled", fx.test.toString(), "--queries", "" + ReportFixture.QUERIES,
        "--view-rows", "4", "--output", again.toString());
    assertArrayEquals(Files.readAllBytes(fx.report), Files.readAllBytes(again), "the same run gives the same report");
  }

  @Test
  void aRunWhoseDatasetHasGoneStillGetsItsReport() throws IOException {
    Path copy = tmp.resolve("moved-run");
    try (Stream<Path> walk = Files.walk(fx.run)) {
      for (Path p : walk.toList()) {
        Path target = copy.resolve(fx.run.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().endsWith(".html") && !p.getFileName().toString().endsWith(".crc")) {
          Files.copy(p, target);
        }
      }
    }
    String json = Files.readString(copy.resolve(RunInfo.FILE_NAME)).replace(fx.corpus.toString(), tmp.resolve("gone").toString());
    Files.writeString(copy.resolve(RunInfo.FILE_NAME), json);
    RunReport.Result r = RunReport.write(SharedSpark.get(), ReportConfig.defaults(copy.toString()), line -> { });
    String page = HadoopFiles.readString(new org.apache.hadoop.fs.Path(r.output()), new Configuration());
    assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("dataset: the dataset " + tmp.resolve("gone"))), r.notes().toString());
    assertTrue(page.contains("class=\"note\">the dataset " + tmp.resolve("gone") + " cannot be opened"));
    assertTrue(page.contains("(the dataset cannot be read now)"));
    assertTrue(page.contains("data-kind=\"loss\"") && page.contains("data-kind=\"evaluation\""), "the other parts are still there");
    assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("neighbours: ")), "no labeled set and no run dataset: " + r.notes());
  }

  /** The figure of {@code kind}, or for {@code evaluation} the whole section. */
  private static String section(String kind) {
    if (kind.equals("evaluation")) {
      int start = html.indexOf("<section id=\"evaluation\"");
      return html.substring(start, html.indexOf("</section>", start));
    }
    int start = html.indexOf("data-kind=\"" + kind + "\"");
    return html.substring(start, html.indexOf("</figure>", start));
  }

  private static long count(String needle) {
    return count(html, needle);
  }

  private static long count(String text, String needle) {
    return Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
  }
}

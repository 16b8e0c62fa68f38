package io.pretext.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SVG charts: tick arithmetic, bucket means, and where points and bars land on the canvas. */
class SvgChartTest {

  @ParameterizedTest
  @CsvSource({
      // min, max, target, lo, hi, step
      "0, 0.93, 5, 0, 1.0, 0.2",
      "3.2, 5.1, 5, 3.0, 5.5, 0.5",
      "0.00012, 0.0079, 5, 0, 0.008, 0.002",
      "1, 46, 6, 0, 50, 10",
      "-2.5, 2.5, 5, -3, 3, 1",
      "420, 420, 5, 360, 480, 20",
  })
  void niceTicks(double min, double max, int target, double lo, double hi, double step) {
    SvgChart.Ticks t = SvgChart.niceTicks(min, max, target);
    assertEquals(step, t.step(), step * 1e-9);
    assertEquals(lo, t.lo(), step * 1e-9);
    assertEquals(hi, t.hi(), step * 1e-9);
    assertTrue(t.lo() <= min && t.hi() >= max);
  }

  @Test
  void downsampleTakesBucketMeansAndSkipsNaN() {
    double[] x = new double[2500];
    double[] y = new double[2500];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
      y[i] = i % 3 == 2 ? Double.NaN : 2 * i;
    }
    SvgChart.Series s = SvgChart.downsample(new SvgChart.Series("s", x, y), 1000);
    // Buckets of ceil(2500 / 1000) = 3 points: 834 buckets, the last holding one point.
    assertEquals(834, s.x().length);
    assertEquals(1.0, s.x()[0]);
    assertEquals(1.0, s.y()[0], "mean of 0 and 2; the NaN is left out");
    assertEquals(4.0, s.x()[1]);
    assertEquals(7.0, s.y()[1], "mean of 6 and 8");
    assertEquals(2499.0, s.x()[833]);
    assertEquals(4998.0, s.y()[833]);
    SvgChart.Series small = new SvgChart.Series("t", new double[] {1, 2}, new double[] {3, 4});
    assertEquals(small, SvgChart.downsample(small, 1000), "short series are drawn as they are");
  }

  @Test
  void pointsLandOnTheirPixels() {
    // x 0..10 on [LEFT, 400 - RIGHT]; y ticks 0..10 on [200 - BOTTOM, TOP].
    String svg = SvgChart.Lines.of("t", "x", "y", List.of(new SvgChart.Series("a", new double[] {0, 5, 10}, new double[] {0, 10, 5})))
        .withMarks(new double[] {5}).svg(400, 200);
    Matcher d = Pattern.compile("<path class=\"series\" d=\"([^\"]*)\"").matcher(svg);
    assertTrue(d.find(), svg);
    double x0 = SvgChart.LEFT;
    double x1 = 400 - SvgChart.RIGHT;
    double yBottom = 200 - SvgChart.BOTTOM;
    double yTop = SvgChart.TOP;
    assertEquals(String.format(java.util.Locale.ROOT, "M%.1f %.1f L%.1f %.1f L%.1f %.1f", x0, yBottom, (x0 + x1) / 2, yTop, x1,
        (yBottom + yTop) / 2), d.group(1));
    assertTrue(svg.contains(String.format(java.util.Locale.ROOT, "class=\"mark\" x1=\"%.1f\"", (x0 + x1) / 2)), "epoch mark at x = 5");
    assertTrue(svg.startsWith("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"200\""));
    assertTrue(svg.endsWith("</svg>"));
  }

  @Test
  void nanBreaksTheLineAndASinglePointIsADot() {
    String svg = SvgChart.Lines.of("t", "x", "y",
        List.of(new SvgChart.Series("a", new double[] {0, 1, 2, 3}, new double[] {1, Double.NaN, 2, 3}))).svg(400, 200);
    Matcher d = Pattern.compile("<path class=\"series\" d=\"([^\"]*)\"").matcher(svg);
    assertTrue(d.find());
    assertEquals(2, d.group(1).chars().filter(c -> c == 'M').count(), d.group(1));
    String dot = SvgChart.Lines.of("t", "x", "y", List.of(new SvgChart.Series("a", new double[] {1}, new double[] {0.5}))).svg(400, 200);
    assertTrue(dot.contains("<circle class=\"series\""), dot);
  }

  @Test
  void stackedAreasAddUp() {
    double[] x = {0, 1};
    String svg = SvgChart.Lines.of("t", "x", "s", List.of(new SvgChart.Series("a", x, new double[] {1, 1}),
        new SvgChart.Series("b", x, new double[] {2, 3}))).withStackedAreas().svg(400, 200);
    // Ticks 0..4: the top of b is a + b = 3 and 4.
    Matcher d = Pattern.compile("<path class=\"series\" d=\"([^\"]*)\"").matcher(svg);
    assertTrue(d.find());
    double h = 200 - SvgChart.BOTTOM - SvgChart.TOP;
    String expectedTop = String.format(java.util.Locale.ROOT, "M%.1f %.1f L%.1f %.1f", (double) SvgChart.LEFT, 200 - SvgChart.BOTTOM - h * 3 / 4,
        400.0 - SvgChart.RIGHT, (double) SvgChart.TOP);
    assertTrue(d.group(1).startsWith(expectedTop), d.group(1) + " vs " + expectedTop);
    assertTrue(d.group(1).endsWith("Z"), "an area is closed");
  }

  @Test
  void barsAreProportionalAndMissingValuesHaveNone() {
    String svg = SvgChart.bars("acc", "accuracy", List.of("linear", "kNN"), List.of(new SvgChart.BarGroup("pixels", new double[] {0.8, Double.NaN}),
        new SvgChart.BarGroup("trained", new double[] {0.4, 0.6})), "%.2f", 400, 200);
    Matcher h = Pattern.compile("<rect class=\"bar\" [^>]*height=\"([0-9.]+)\"").matcher(svg);
    double[] heights = h.results().mapToDouble(m -> Double.parseDouble(m.group(1))).toArray();
    double plot = 200 - SvgChart.BOTTOM - SvgChart.TOP - 16;
    assertArrayEquals(new double[] {0.8 * plot, 0.4 * plot, 0.6 * plot}, heights, 0.051);
    assertTrue(svg.contains(">0.80</text>") && svg.contains(">0.60</text>"), "values printed on the bars");
  }

  @Test
  void accuracyAxesStopAtOneAndEpochsAreWholeNumbers() {
    String svg = SvgChart.Lines.of("knn", "epoch", "accuracy", List.of(new SvgChart.Series("a", new double[] {1, 2}, new double[] {1, 1})))
        .withWholeX().withYWithin(0, 1).svg(400, 200);
    List<String> labels = Pattern.compile(">([0-9.e-]+)</text>").matcher(svg).results().map(m -> m.group(1)).toList();
    assertEquals(List.of("0.90", "0.95", "1.00", "1", "2"), labels, "y ticks clamped to 1, x ticks on epochs only");
  }

  @Test
  void textIsEscaped() {
    String svg = SvgChart.Lines.of("<script>&", "x", "y",
        List.of(new SvgChart.Series("a\"b", new double[] {0, 1}, new double[] {0, 1}))).svg(400, 200);
    assertFalse(svg.contains("<script>"));
    assertTrue(svg.contains("&lt;script&gt;&amp;") && svg.contains("a&quot;b"));
  }

  @ParameterizedTest
  @CsvSource({"0.6, 0.2, 0.6", "8e-3, 2e-3, 0.008", "1e-4, 2e-5, 1.0e-4", "1500, 500, 1500", "0, 0.2, 0", "2.5e6, 5e5, 2.5e6", "0.25, 0.05, 0.25"})
  void tickLabels(double v, double step, String expected) {
    assertEquals(expected, SvgChart.label(v, step));
  }
}

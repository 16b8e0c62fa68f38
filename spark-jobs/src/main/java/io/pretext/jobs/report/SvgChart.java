package io.pretext.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Charts drawn as inline SVG: line charts (one or more series over a shared x axis, optionally stacked into areas)
 * and grouped bar charts. Inline SVG keeps the report one self-contained file with no script: a chart of a thousand
 * points is about 15 KB of text, stays sharp at any zoom and in print, and its labels are text a reader can select.
 *
 * <p>Geometry: the plot area is the canvas less fixed margins ({@value #LEFT} px left for the y tick labels,
 * {@value #BOTTOM} px below for the x axis); data x in {@code [xMin, xMax]} maps linearly to the plot's width and y
 * in the "nice" range around the data ({@link #niceTicks}) to its height, y growing upwards. Series with more than
 * {@value #MAX_POINTS} points are reduced to that many bucket means ({@link #downsample}) before drawing.
 *
 * <p>Every series is drawn as an element of class {@code series} and every bar as a {@code rect} of class
 * {@code bar}, which the report's browser test counts.
 */
public final class SvgChart {
  static final int LEFT = 64;
  static final int RIGHT = 16;
  static final int TOP = 28;
  static final int BOTTOM = 44;
  static final int MAX_POINTS = 1000;
  /** Colour-blind-safe palette (Okabe and Ito 2008). */
  static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

  private SvgChart() {}

  /** One named line over {@code x}. */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
      }
    }
  }

  /** One group of bars: a category and a value per series (NaN: no bar). */
  public record BarGroup(String category, double[] values) {}

  /** The ticks of an axis: {@code lo}, {@code hi} (both multiples of {@code step}) and the step. */
  record Ticks(double lo, double hi, double step) {
    int count() {
      return (int) Math.round((hi - lo) / step) + 1;
    }

    double at(int i) {
      return lo + i * step;
    }
  }

  /**
   * Nice ticks covering {@code [min, max]} with about {@code target} intervals: the step is 1, 2 or 5 times a power
   * of ten (Heckbert 1990, "Nice numbers for graph labels"). An empty range is widened around its value.
   */
  static Ticks niceTicks(double min, double max, int target) {
    if (!Double.isFinite(min) || !Double.isFinite(max)) {
      return new Ticks(0, 1, 0.2);
    }
    if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    double raw = (max - min) / Math.max(1, target);
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / magnitude;
    double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    double lo = Math.floor(min / step + 1e-9) * step;
    double hi = Math.ceil(max / step - 1e-9) * step;
    return new Ticks(lo, hi, step);
  }

  /**
   * At most {@code max} points: consecutive buckets of {@code ceil(n / max)} points each become one point, the mean of
   * their x and of their y (NaN values are left out of a bucket's mean).
   */
  static Series downsample(Series s, int max) {
    int n = s.x().length;
    if (n <= max) {
      return s;
    }
    int bucket = (n + max - 1) / max;
    int m = (n + bucket - 1) / bucket;
    double[] x = new double[m];
    double[] y = new double[m];
    for (int b = 0; b < m; b++) {
      double sx = 0;
      double sy = 0;
      int cx = 0;
      int cy = 0;
      for (int i = b * bucket; i < Math.min(n, (b + 1) * bucket); i++) {
        sx += s.x()[i];
        cx++;
        if (Double.isFinite(s.y()[i])) {
          sy += s.y()[i];
          cy++;
        }
      }
      x[b] = sx / cx;
      y[b] = cy == 0 ? Double.NaN : sy / cy;
    }
    return new Series(s.name(), x, y);
  }

  /**
   * A line chart: built with {@link #of}, adjusted with the {@code with...} methods, drawn by {@link #svg}.
   *
   * @param title shown above the plot
   * @param xLabel x axis title
   * @param yLabel y axis title
   * @param series the lines, drawn in palette order; NaN values break a line
   * @param marks x positions of thin vertical guides (epoch boundaries)
   * @param stacked draw the series as areas stacked from 0 (each y is added to the ones before it)
   * @param wholeX x ticks on whole numbers only (rounds, epochs)
   * @param yFloor, yCeiling bounds of the y axis whatever the data (accuracies: 0 and 1); infinite for none
   */
  public record Lines(String title, String xLabel, String yLabel, List<Series> series, double[] marks, boolean stacked, boolean wholeX,
      double yFloor, double yCeiling) {

    public static Lines of(String title, String xLabel, String yLabel, List<Series> series) {
      return new Lines(title, xLabel, yLabel, series, new double[0], false, false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public Lines withMarks(double[] at) {
      return new Lines(title, xLabel, yLabel, series, at, stacked, wholeX, yFloor, yCeiling);
    }

    public Lines withStackedAreas() {
      return new Lines(title, xLabel, yLabel, series, marks, true, wholeX, yFloor, yCeiling);
    }

    public Lines withWholeX() {
      return new Lines(title, xLabel, yLabel, series, marks, stacked, true, yFloor, yCeiling);
    }

    public Lines withYWithin(double floor, double ceiling) {
      return new Lines(title, xLabel, yLabel, series, marks, stacked, wholeX, floor, ceiling);
    }

    public String svg(int width, int height) {
      return lines(this, width, height);
    }
  }

  private static String lines(Lines chart, int width, int height) {
    List<Series> drawn = new ArrayList<>();
    for (Series s : chart.series()) {
      drawn.add(downsample(s, MAX_POINTS));
    }
    boolean stacked = chart.stacked();
    if (stacked) {
      drawn = stack(drawn);
    }
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = stacked ? 0 : Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : drawn) {
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.y()[i])) {
          xMin = Math.min(xMin, s.x()[i]);
          xMax = Math.max(xMax, s.x()[i]);
          yMin = Math.min(yMin, s.y()[i]);
          yMax = Math.max(yMax, s.y()[i]);
        }
      }
    }
    if (xMin > xMax) {
      xMin = 0;
      xMax = 1;
    }
    if (xMax == xMin) {
      xMin -= 0.5;
      xMax += 0.5;
    }
    Ticks ny = niceTicks(yMin, yMax, 5);
    Ticks yt = new Ticks(Math.max(ny.lo(), chart.yFloor()), Math.min(ny.hi(), chart.yCeiling()), ny.step());
    Ticks nx = niceTicks(xMin, xMax, 6);
    Ticks xt = chart.wholeX() && nx.step() < 1 ? new Ticks(Math.floor(nx.lo()), Math.ceil(nx.hi()), 1) : nx;
    Frame f = new Frame(width, height, TOP, xMin, xMax, yt.lo(), yt.hi());
    StringBuilder svg = open(chart.title(), width, height);
    axes(svg, f, xt, yt, chart.xLabel(), chart.yLabel(), xMin, xMax);
    for (double m : chart.marks()) {
      if (m > xMin && m < xMax) {
        double px = f.px(m);
        svg.append(String.format(Locale.ROOT, "<line class=\"mark\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\""
            + " stroke-dasharray=\"3 3\"/>", px, TOP, px, height - BOTTOM));
      }
    }
    for (int k = drawn.size() - 1; k >= 0; k--) {
      Series s = drawn.get(k);
      String colour = PALETTE[k % PALETTE.length];
      StringBuilder d = new StringBuilder();
      boolean pen = false;
      int first = -1;
      int last = -1;
      for (int i = 0; i < s.x().length; i++) {
        if (!Double.isFinite(s.y()[i])) {
          pen = false;
          continue;
        }
        d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(String.format(Locale.ROOT, "%.1f %.1f", f.px(s.x()[i]), f.py(s.y()[i])));
        pen = true;
        first = first < 0 ? i : first;
        last = i;
      }
      if (first < 0) {
        continue;
      }
      if (stacked) {
        // The area between this series and the axis; the series drawn after (below) it covers its lower part.
        d.append(String.format(Locale.ROOT, " L%.1f %.1f L%.1f %.1f Z", f.px(s.x()[last]), f.py(0), f.px(s.x()[first]), f.py(0)));
        svg.append("<path class=\"series\" d=\"").append(d).append("\" fill=\"").append(colour).append("\" fill-opacity=\"0.85\" stroke=\"")
            .append(colour).append("\" stroke-width=\"1\"><title>").append(Html.escape(s.name())).append("</title></path>");
      } else if (first == last) {
        svg.append(String.format(Locale.ROOT, "<circle class=\"series\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s</title></circle>",
            f.px(s.x()[first]), f.py(s.y()[first]), colour, Html.escape(s.name())));
      } else {
        svg.append("<path class=\"series\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(colour)
            .append("\" stroke-width=\"1.6\" stroke-linejoin=\"round\"><title>").append(Html.escape(s.name())).append("</title></path>");
      }
      if (s.x().length <= 40 && !stacked) {
        for (int i = 0; i < s.x().length; i++) {
          if (Double.isFinite(s.y()[i]) && first != last) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", f.px(s.x()[i]), f.py(s.y()[i]), colour));
          }
        }
      }
    }
    if (chart.series().size() > 1) {
      legend(svg, chart.series().stream().map(Series::name).toList(), width, 18);
    }
    return svg.append("</svg>").toString();
  }

  /**
   * A grouped bar chart with y from 0 to max(1, data): one group per category, one bar per series in each, the value
   * printed above every bar.
   *
   * @param seriesNames one per value of each group, in palette order
   * @param format how values are printed, e.g. {@code %.4f}
   */
  public static String bars(String title, String yLabel, List<String> seriesNames, List<BarGroup> groups, String format, int width,
      int height) {
    double yMax = 0;
    for (BarGroup g : groups) {
      for (double v : g.values()) {
        if (Double.isFinite(v)) {
          yMax = Math.max(yMax, v);
        }
      }
    }
    Ticks yt = niceTicks(0, yMax <= 1 ? 1 : yMax, 5);
    // Room above the plot for the legend's row and the values printed over the tallest bars.
    Frame f = new Frame(width, height, TOP + 16, 0, Math.max(1, groups.size()), yt.lo(), yt.hi());
    StringBuilder svg = open(title, width, height);
    axes(svg, f, null, yt, null, yLabel, 0, 0);
    double groupWidth = (f.right() - LEFT) / (double) Math.max(1, groups.size());
    double barWidth = groupWidth * 0.8 / Math.max(1, seriesNames.size());
    for (int gi = 0; gi < groups.size(); gi++) {
      BarGroup g = groups.get(gi);
      double x0 = LEFT + gi * groupWidth + groupWidth * 0.1;
      for (int si = 0; si < g.values().length; si++) {
        double v = g.values()[si];
        if (!Double.isFinite(v)) {
          continue;
        }
        double x = x0 + si * barWidth;
        double y = f.py(v);
        svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
            + "<title>%s, %s: %s</title></rect>", x + 1, y, barWidth - 2, f.py(0) - y, PALETTE[si % PALETTE.length],
            Html.escape(g.category()), Html.escape(seriesNames.get(si)), String.format(Locale.ROOT, format, v)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%s</text>",
            x + barWidth / 2, y - 3, String.format(Locale.ROOT, format, v)));
      }
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>",
          LEFT + (gi + 0.5) * groupWidth, height - BOTTOM + 16, Html.escape(g.category())));
    }
    legend(svg, seriesNames, width, 36);
    return svg.append("</svg>").toString();
  }

  /** Cumulative sums of the series' y values (NaN counts as 0), each keeping its name. */
  private static List<Series> stack(List<Series> series) {
    List<Series> out = new ArrayList<>();
    double[] sum = null;
    for (Series s : series) {
      double[] y = new double[s.y().length];
      for (int i = 0; i < y.length; i++) {
        y[i] = (sum == null ? 0 : sum[i]) + (Double.isFinite(s.y()[i]) ? s.y()[i] : 0);
      }
      sum = y;
      out.add(new Series(s.name(), s.x(), y));
    }
    return out;
  }

  /** Data-to-pixel mapping of one chart. */
  private record Frame(int width, int height, int top, double xMin, double xMax, double yMin, double yMax) {
    double right() {
      return width - RIGHT;
    }

    double px(double x) {
      return LEFT + (x - xMin) / (xMax - xMin) * (right() - LEFT);
    }

    double py(double y) {
      return (height - BOTTOM) - (y - yMin) / (yMax - yMin) * (height - BOTTOM - top);
    }
  }

  private static StringBuilder open(String title, int width, int height) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\">", width, height, width, height,
        Html.escape(title)));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>", width, height));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"17\" font-size=\"13\" font-weight=\"bold\">%s</text>", LEFT, Html.escape(title)));
    return svg;
  }

  /** Grid lines, tick labels and axis titles; {@code xt} null draws no x ticks (bar charts label their groups). */
  private static void axes(StringBuilder svg, Frame f, Ticks xt, Ticks yt, String xLabel, String yLabel, double xMin, double xMax) {
    for (int i = 0; i < yt.count(); i++) {
      double v = yt.at(i);
      double y = f.py(v);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", LEFT, y, f.right(), y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">%s</text>",
          LEFT - 6, y + 4, label(v, yt.step())));
    }
    if (xt != null) {
      for (int i = 0; i < xt.count(); i++) {
        double v = xt.at(i);
        if (v < xMin - 1e-9 || v > xMax + 1e-9) {
          continue;
        }
        double x = f.px(v);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\"/>", x, f.height() - BOTTOM, x,
            f.height() - BOTTOM + 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">%s</text>",
            x, f.height() - BOTTOM + 16, label(v, xt.step())));
      }
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\"/>", LEFT, f.height() - BOTTOM,
        f.right(), f.height() - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>", LEFT, f.top(), LEFT,
        f.height() - BOTTOM));
    if (xLabel != null) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>",
          (LEFT + f.right()) / 2, f.height() - 8, Html.escape(xLabel)));
    }
    if (yLabel != null) {
      svg.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">%s</text>",
          (f.top() + f.height() - BOTTOM) / 2.0, Html.escape(yLabel)));
    }
  }

  /** Legend entries right-aligned on the baseline {@code y}. */
  private static void legend(StringBuilder svg, List<String> names, int width, int y) {
    double x = width - RIGHT;
    for (int i = names.size() - 1; i >= 0; i--) {
      String name = names.get(i);
      x -= 7 * name.length() + 26;
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10,
          PALETTE[i % PALETTE.length]));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>", x + 16, y, Html.escape(name)));
    }
  }

  /** A tick label with as many decimals as the step needs, or scientific notation for very small or large values. */
  static String label(double v, double step) {
    if (Math.abs(v) < step * 1e-6) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e6 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.1e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}

package io.pretext.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real run ({@link ReportFixture}) opened in headless Chromium: every chart and picture rendered at
 * its declared size with content in it, the page logged no console error, requested nothing but itself (its
 * pictures are {@code data:} URIs), and a full-page screenshot is a picture, not a blank page.
 *
 * <p>Needs Debian's {@code chromium}; without it the test fails and says how to install it (.ci/run does).
 */
class ReportBrowserTest {
  static final int WIDTH = 1280;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Runs in the page: for each picture (figures marked {@code check}, and the images of the neighbour grid) its
   * rendered size, declared size and, for images, the decoded size; for charts the drawn series and bars with a
   * non-empty box.
   */
  static final String CHECK = String.join("\n",
      "(() => {",
      "  const out = [];",
      "  const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };",
      "  const img = (kind, e) => out.push({kind, tag: 'img', complete: e.complete, natural: [e.naturalWidth, e.naturalHeight],",
      "    declared: [+e.dataset.width, +e.dataset.height], shown: box(e), attrs: [+e.getAttribute('width'), +e.getAttribute('height')]});",
      "  document.querySelectorAll('figure.check').forEach(f => {",
      "    const kind = f.dataset.kind;",
      "    const i = f.querySelector('img');",
      "    if (i) { img(kind, i); return; }",
      "    const s = f.querySelector('svg');",
      "    if (!s) { out.push({kind, tag: 'none'}); return; }",
      "    const drawn = [...s.querySelectorAll('.series, .bar, rect, text')].filter(x => { const b = x.getBBox(); return b.width > 0; });",
      "    out.push({kind, tag: 'svg', shown: box(s), attrs: [+s.getAttribute('width'), +s.getAttribute('height')],",
      "      series: [...s.querySelectorAll('.series')].filter(x => x.getBBox().width > 0).length,",
      "      bars: [...s.querySelectorAll('.bar')].filter(x => x.getBBox().height > 0).length, drawn: drawn.length});",
      "  });",
      "  document.querySelectorAll('table.nn img').forEach(e => img('neighbour', e));",
      "  return JSON.stringify({figures: out, sections: document.querySelectorAll('section').length,",
      "    height: document.documentElement.scrollHeight});",
      "})()");

  @TempDir Path tmp;

  @Test
  void everyChartAndGridRendersInChromium() throws Exception {
    ReportFixture fx = ReportFixture.get();
    try (HeadlessChromium chrome = HeadlessChromium.start(tmp.resolve("profile"))) {
      for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
        chrome.send(domain + ".enable", Map.of());
      }
      chrome.send("Emulation.setDeviceMetricsOverride", Map.of("width", WIDTH, "height", 900, "deviceScaleFactor", 1, "mobile", false));
      String url = fx.report.toUri().toString();
      chrome.send("Page.navigate", Map.of("url", url));
      chrome.await("Page.loadEventFired", 60);

      JsonNode result = chrome.send("Runtime.evaluate", Map.of("expression", CHECK, "returnByValue", true));
      JsonNode page = JSON.readTree(result.path("result").path("value").asText());
      List<String> problems = new ArrayList<>();
      int charts = 0;
      int pictures = 0;
      for (JsonNode f : page.path("figures")) {
        String what = f.path("kind").asText() + " " + f;
        switch (f.path("tag").asText()) {
          case "img" -> {
            pictures++;
            check(problems, f.path("complete").asBoolean(), "not loaded: " + what);
            check(problems, f.path("natural").get(0).asInt() > 0 && f.path("natural").equals(f.path("declared")),
                "decoded size is not the declared size: " + what);
            check(problems, f.path("shown").equals(f.path("attrs")), "shown at another size than declared: " + what);
          }
          case "svg" -> {
            charts++;
            check(problems, f.path("shown").equals(f.path("attrs")) && f.path("shown").get(0).asInt() > 0, "chart size: " + what);
            boolean isChart = !f.path("kind").asText().equals("quarantine");
            check(problems, !isChart || f.path("series").asInt() + f.path("bars").asInt() > 0, "chart draws nothing: " + what);
            check(problems, f.path("drawn").asInt() > 0, "svg draws nothing: " + what);
          }
          default -> problems.add("figure without a picture: " + what);
        }
      }
      assertTrue(problems.isEmpty(), String.join("\n", problems));
      // 5 training charts + 1 evaluation chart + quarantine placeholders; views + quarantine thumbnails + 3 x 9 neighbours.
      Set<String> kinds = new HashSet<>();
      page.path("figures").forEach(f -> kinds.add(f.path("kind").asText()));
      assertEquals(Set.of("quarantine", "loss", "lr", "throughput", "split", "monitor", "views", "evaluation", "neighbour"), kinds);
      int thumbnails = 0;
      for (JsonNode f : page.path("figures")) {
        thumbnails += f.path("kind").asText().equals("quarantine") && f.path("tag").asText().equals("img") ? 1 : 0;
      }
      assertTrue(thumbnails >= 1, "the truncated JPEG decodes in part");
      assertEquals(ReportFixture.QUERIES * 9 + 1 + thumbnails, pictures, "neighbour grid, views, quarantine thumbnails");
      assertEquals(6 + (6 - thumbnails), charts, "training and evaluation charts, quarantine placeholders");
      assertEquals(7, page.path("sections").asInt());

      List<String> errors = new ArrayList<>();
      for (JsonNode e : chrome.events()) {
        String method = e.path("method").asText();
        JsonNode p = e.path("params");
        if (method.equals("Runtime.exceptionThrown") || (method.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error"))
            || (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error"))) {
          errors.add(e.toString());
        }
        if (method.equals("Network.requestWillBeSent")) {
          String requested = p.path("request").path("url").asText();
          if (!requested.equals(url) && !requested.startsWith("data:")) {
            errors.add("requested " + requested);
          }
        }
      }
      assertTrue(errors.isEmpty(), "console errors or requests: " + errors);

      int height = page.path("height").asInt();
      chrome.send("Emulation.setDeviceMetricsOverride", Map.of("width", WIDTH, "height", height, "deviceScaleFactor", 1, "mobile", false));
      JsonNode shot = chrome.send("Page.captureScreenshot", Map.of("format", "png"));
      byte[] png = Base64.getDecoder().decode(shot.path("data").asText());
      Path file = Path.of("target", "report-screenshot.png");
      Files.createDirectories(file.getParent());
      Files.write(file, png);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertEquals(WIDTH, image.getWidth());
      assertEquals(height, image.getHeight());
      Set<Integer> colours = new HashSet<>();
      for (int y = 0; y < image.getHeight(); y += 3) {
        for (int x = 0; x < image.getWidth(); x += 3) {
          colours.add(image.getRGB(x, y));
        }
      }
      assertTrue(colours.size() > 100, "a blank screenshot: " + colours.size() + " colours");
    }
  }

  private static void check(List<String> problems, boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }
}

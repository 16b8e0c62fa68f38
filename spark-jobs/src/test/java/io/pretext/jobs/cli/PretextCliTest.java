package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The real entry point, as bin/pretext and spark-submit call it: exit codes, messages, the final JSON line. */
class PretextCliTest {
  @TempDir static Path tmp;
  static Path corpus;

  record Outcome(int code, String out, String err) {
    JsonNode json() {
      String[] lines = out.strip().split("\n");
      try {
        return new ObjectMapper().readTree(lines[lines.length - 1]);
      } catch (IOException e) {
        throw new AssertionError("last stdout line is not JSON: " + out, e);
      }
    }
  }

  /** Six distinct images, one byte-for-byte copy of the first, one truncated JPEG: 8 files. */
  @BeforeAll
  static void corpus() throws IOException {
    SharedSpark.get();
    corpus = Files.createDirectories(tmp.resolve("corpus"));
    for (int i = 0; i < 6; i++) {
      Files.write(corpus.resolve("img" + i + ".png"), TestImages.encode(TestImages.rgb(12, 12, i), "png"));
    }
    Files.copy(corpus.resolve("img0.png"), corpus.resolve("img0-copy.png"));
    Files.write(corpus.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
  }

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PretextCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noCommandPrintsUsage() {
    Outcome o = run();
    assertEquals(2, o.code());
    assertTrue(o.err().contains("prepare-images") && o.err().contains("pretrain"), o.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"prepare-images", "show-views", "pretrain", "report", "fill-mask"})
  void everyCommandHasHelp(String command) {
    Outcome o = run(command, "--help");
    assertEquals(0, o.code());
    assertTrue(o.out().contains("Usage: pretext " + command), o.out());
  }

  @Test
  void topLevelHelpGivesEachCommandASummaryThatStandsAlone() {
    Outcome o = run("--help");
    assertEquals(0, o.code());
    for (String line : o.out().split("\n")) {
      String l = line.strip();
      if (l.matches("(prepare-images|show-views|pretrain|evaluate|embed|fill-mask|report|demo)\\s.*")) {
        assertTrue(l.endsWith("."), "the summary of a command is one sentence, not cut mid-way: " + l);
      }
    }
  }

  /** The lines of {@code pretext --help} from the first heading on: headings as "Data:", commands by name, in order. */
  @Test
  void topLevelHelpGroupsTheCommandsUnderHeadings() {
    Outcome o = run("--help");
    assertEquals(0, o.code());
    List<String> listed = new ArrayList<>();
    for (String line : o.out().split("\n")) {
      if (line.matches("[A-Z][a-z]+:\\s*")) {
        listed.add(line.strip());
      } else if (line.matches("  [a-z][a-z-]*\\s{2,}\\S.*")) {
        listed.add(line.strip().split("\\s+")[0]);
      }
    }
    assertEquals(List.of("Data:", "prepare-images", "prepare-text", "show-views", "Training:", "pretrain", "finetune", "demo",
        "Evaluation:", "evaluate", "predict", "embed", "fill-mask", "reconstruct", "Tools:", "report"), listed, o.out());
    assertTrue(!o.out().contains("Commands:") && !o.out().contains("Other:"), o.out());
  }

  @Test
  void everyCommandIsInExactlyOneHelpGroup() {
    List<String> grouped = PretextCli.GROUPS.values().stream().flatMap(List::stream).toList();
    assertEquals(grouped.size(), new HashSet<>(grouped).size(), "a command in two groups: " + grouped);
    assertEquals(new CommandLine(PretextCli.class).getSubcommands().keySet(), new HashSet<>(grouped));
  }

  /** With or without --help, before or after it, with options: one line naming the command and the known ones, exit 2. */
  @ParameterizedTest
  @ValueSource(strings = {"distill", "distill --help", "--help distill", "distill --data d --run r", "-h distill -h"})
  void anUnknownCommandIsAUsageErrorNamingItAndTheKnownOnes(String line) {
    Outcome o = run(line.split(" "));
    assertEquals(2, o.code(), o.out());
    List<String> err = o.err().strip().lines().toList();
    assertEquals(1, err.size(), o.err());
    assertTrue(err.get(0).startsWith("pretext: unknown command 'distill'"), o.err());
    for (String command : new CommandLine(PretextCli.class).getSubcommands().keySet()) {
      assertTrue(err.get(0).contains(command), command + " is not named: " + o.err());
    }
    assertTrue(!o.out().contains("Usage:"), "no help is printed as if all were well: " + o.out());
    JsonNode j = o.json();
    assertEquals("pretext", j.get("command").asText());
    assertEquals("usage", j.get("status").asText());
    assertTrue(j.get("error").asText().contains("'distill'"), j.toString());
  }

  @Test
  void anUnknownTopLevelOptionNamesPretextOnce() {
    Outcome o = run("--bogus");
    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("pretext: ") && !o.err().contains("pretext pretext"), o.err());
    assertTrue(o.err().contains("--bogus"), o.err());
    assertEquals("usage", o.json().get("status").asText());
  }

  @Test
  void reportOptionsAreCheckedBeforeSparkStarts() {
    Outcome q = run("report", "--run", "r", "--queries", "65");
    assertEquals(2, q.code());
    assertTrue(q.err().contains("--queries") && q.err().contains("'65'") && q.err().contains("0..64"), q.err());
    Outcome o = run("report", "--run", "r", "--output", "r/report.txt");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--output") && o.err().contains(".html"), o.err());
    Outcome b = run("report", "--run", "r", "--preview-bytes", "10");
    assertEquals(2, b.code());
    assertTrue(b.err().contains("--preview-bytes"), b.err());
  }

  @Test
  void pretrainHelpListsTheMethodsAndEachMethodsOwnOptions() {
    Outcome o = run("pretrain", "--help");
    assertEquals(0, o.code());
    assertTrue(o.out().contains("simclr") && o.out().contains("byol") && o.out().contains("Grill et al. 2020"), o.out());
    assertTrue(o.out().contains("--temperature") && !o.out().contains("--ema-tau"), "the default method's options only");
    Outcome byol = run("pretrain", "--method", "byol", "--help");
    assertTrue(byol.out().contains("--ema-tau") && byol.out().contains("--predictor-hidden") && !byol.out().contains("--temperature"),
        byol.out());
  }

  @Test
  void unknownMethodsAndOtherMethodsOptionsAreUsageErrors() {
    Outcome m = run("pretrain", "--data", "d", "--run", "r", "--method", "swav");
    assertEquals(2, m.code());
    assertTrue(m.err().contains("--method") && m.err().contains("'swav'") && m.err().contains("byol, deepcluster, gan, mlm, moco, simclr"), m.err());
    Outcome o = run("pretrain", "--data", "d", "--run", "r", "--ema-tau", "0.9");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--ema-tau"), "a byol option without --method byol: " + o.err());
    Outcome r = run("pretrain", "--data", "d", "--run", "r", "--resume", "sometimes");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--resume") && r.err().contains("auto"), r.err());
  }

  @Test
  void prepareImagesEndsWithAJsonLine() {
    Path out = tmp.resolve("ds");
    Outcome o = run("prepare-images", "--input", corpus.toString(), "--output", out.toString(), "--channels", "3", "--shards", "2");
    assertEquals(0, o.code(), o.err());
    JsonNode j = o.json();
    assertEquals("ok", j.get("status").asText());
    // each count against what corpus() wrote, not against the others
    JsonNode counts = j.get("counts");
    assertEquals(8, counts.get("seen").asLong(), j.toString());
    assertEquals(6, counts.get("accepted").asLong(), j.toString());
    assertEquals(1, counts.get("duplicates").asLong(), j.toString());
    assertEquals(1, counts.get("quarantined").asLong(), j.toString());
    List<String> reasons = new ArrayList<>();
    counts.get("quarantinedByReason").fieldNames().forEachRemaining(reasons::add);
    assertEquals(List.of("corrupt"), reasons, j.toString());
    assertEquals(1, counts.get("quarantinedByReason").get("corrupt").asLong(), j.toString());

    Path png = tmp.resolve("views.png");
    Outcome v = run("show-views", "--data", out.toString(), "--output", png.toString(), "--count", "3", "--tile", "20");
    assertEquals(0, v.code(), v.err());
    try {
      BufferedImage img = ImageIO.read(png.toFile());
      assertEquals(3 * 20 + 4 * 4, img.getHeight(), "3 rows of 20 px tiles with 4 px gutters");
      assertEquals(3 * 20 + 4 * 4, img.getWidth(), "original + 2 views");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void badOptionValuesNameTheOptionAndWhatIsAllowed() {
    Outcome o = run("prepare-images", "--input", corpus.toString(), "--output", tmp.resolve("x").toString(), "--shards", "0");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--shards") && o.err().contains("'0'") && o.err().contains("1..100000"), o.err());
    assertEquals("usage", o.json().get("status").asText());
    assertTrue(Files.notExists(tmp.resolve("x")), "nothing is written when options are invalid");

    Outcome w = run("pretrain", "--data", "d", "--run", "r", "--workers", "0");
    assertEquals(2, w.code());
    assertTrue(w.err().contains("--workers") && w.err().contains("'0'"), w.err());

    Outcome e = run("pretrain", "--data", "d", "--run", "r", "--encoder", "vgg16");
    assertEquals(2, e.code());
    assertTrue(e.err().contains("vgg16") && e.err().contains("small-cnn"), e.err());

    Outcome t = run("pretrain", "--data", "d", "--run", "r", "--temperature", "abc");
    assertEquals(2, t.code());
    assertTrue(t.err().contains("--temperature"), t.err());

    Outcome j = run("pretrain", "--data", "d", "--run", "r", "--jitter-prob", "1.5");
    assertEquals(2, j.code());
    assertTrue(j.err().contains("--jitter-prob") && j.err().contains("'1.5'") && j.err().contains("[0, 1]"), j.err());
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Outcome o = run("prepare-images", "--input", corpus.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--output"), o.err());
  }

  @Test
  void datasetWithoutSuccessMarkerIsRefused() throws IOException {
    Path out = tmp.resolve("half");
    assertEquals(0, run("prepare-images", "--input", corpus.toString(), "--output", out.toString(), "--shards", "1").code());
    Files.delete(out.resolve("_SUCCESS"));
    Outcome o = run("pretrain", "--data", out.toString(), "--run", tmp.resolve("run").toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("incomplete") && o.err().contains("_SUCCESS"), o.err());
    assertEquals("failed", o.json().get("status").asText());
  }
}

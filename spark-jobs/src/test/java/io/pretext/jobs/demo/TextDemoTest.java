package io.pretext.jobs.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestTexts;
import io.pretext.jobs.cli.PretextCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretext demo --text} through the real entry point, on a synthetic WordNet of 120 glosses (four lexicographer
 * files of 30 synsets, so that both splits hold every class) instead of Debian's: its JSON line carries the held-out
 * monitor's last masked-token accuracy and perplexity, as the run's {@code metrics.jsonl} recorded them.
 */
class TextDemoTest {
  @TempDir Path tmp;

  /** A WordNet directory in 3.0's data-file format: nouns of three lexicographer files and verbs of one. */
  Path wordnet() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("wordnet"));
    StringBuilder noun = new StringBuilder(WordNetGlossesTest.HEADER);
    for (int i = 0; i < 90; i++) {
      noun.append(WordNetGlossesTest.line(String.format("%08d", 1740 + i * 100), 5 + i % 3, "n", "thing" + i,
          TestTexts.sentence(i, 6).toLowerCase(Locale.ROOT)));
    }
    Files.writeString(dir.resolve("data.noun"), noun);
    StringBuilder verb = new StringBuilder(WordNetGlossesTest.HEADER);
    for (int i = 0; i < 30; i++) {
      verb.append(WordNetGlossesTest.line(String.format("%08d", 5000 + i * 37), 38, "v", "run" + i, "move fast in manner " + i));
    }
    Files.writeString(dir.resolve("data.verb"), verb);
    Files.writeString(dir.resolve("data.adj"), WordNetGlossesTest.HEADER);
    Files.writeString(dir.resolve("data.adv"), WordNetGlossesTest.HEADER);
    return dir;
  }

  @Test
  void theJsonLineCarriesTheHeldOutAccuracyAndPerplexityOfTheLastEpoch() throws IOException {
    SharedSpark.get();
    Path work = tmp.resolve("work");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PretextCli.run(new String[] {"demo", "--text", "--wordnet", wordnet().toString(), "--work", work.toString(),
        "--epochs", "2", "--max-iter", "5", "--batch-size-per-worker", "8", "--averaging-frequency", "1", "--master", "local[2]"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertEquals(PretextCli.EXIT_OK, code, err.toString(StandardCharsets.UTF_8));
    String[] lines = stdout.strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertEquals("ok", json.get("status").asText(), json.toString());

    // The monitor's own record of its last epoch (epoch 1, 0-based, of two), read here from metrics.jsonl.
    List<String> metrics = Files.readAllLines(work.resolve("run/metrics.jsonl"));
    JsonNode last = null;
    int mlmLines = 0;
    for (String line : metrics) {
      JsonNode n = new ObjectMapper().readTree(line);
      if (n.path("type").asText().equals("mlm")) {
        last = n;
        mlmLines++;
      }
    }
    assertEquals(2, mlmLines, "one held-out reading per epoch");
    assertEquals(1, last.get("epoch").asInt());
    JsonNode monitor = json.get("pretrain").get("monitor");
    assertEquals(2, monitor.get("epoch").asInt(), "after the second epoch, 1-based: " + monitor);
    assertEquals(last.get("roundsDone").asLong(), monitor.get("roundsDone").asLong());
    assertEquals(last.get("accuracy").asDouble(), monitor.get("accuracy").asDouble(), 0.0);
    assertEquals(last.get("perplexity").asDouble(), monitor.get("perplexity").asDouble(), 0.0);
    assertEquals(last.get("targets").asLong(), monitor.get("targets").asLong());
    assertTrue(stdout.contains(String.format(Locale.ROOT, "held-out masked-token accuracy %.4f, perplexity %.2f (after epoch 2)",
        last.get("accuracy").asDouble(), last.get("perplexity").asDouble())), stdout);
  }

  @Test
  void heldOutIsTheLastMlmLineAndNullWithoutOne() {
    List<String> lines = List.of(
        "{\"type\":\"round\",\"epoch\":0,\"roundsDone\":1,\"loss\":5.1}",
        "{\"type\":\"mlm\",\"epoch\":0,\"roundsDone\":4,\"accuracy\":0.125,\"perplexity\":300.5,\"targets\":64}",
        "not json: a line cut short by a crash",
        "{\"type\":\"knn\",\"epoch\":1,\"roundsDone\":8,\"accuracy\":0.9}",
        "{\"type\":\"mlm\",\"epoch\":1,\"roundsDone\":8,\"accuracy\":0.25,\"perplexity\":120.25,\"targets\":64}",
        "{\"type\":\"round\",\"epoch\":2,\"roundsDone\":9,\"loss\":4.0}");
    assertEquals(new WordNetDemo.HeldOut(2, 8, 0.25, 120.25, 64), WordNetDemo.HeldOut.last(lines));
    assertNull(WordNetDemo.HeldOut.last(List.of("{\"type\":\"round\",\"epoch\":0,\"roundsDone\":1,\"loss\":5.1}")));
  }
}

package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.pretrain.PretrainJob;
import io.pretext.jobs.pretrain.TinyText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretext fill-mask} through the real entry point, on a one-layer BERT pretrained with {@code --method mlm} on a
 * tiny repetitive corpus ({@link TinyText}: "the cat sat on the mat 17", ...): the obvious word is the most probable at
 * every [MASK]; texts without [MASK] or longer than the model reads are usage errors.
 */
class FillMaskCommandTest {
  @TempDir static Path tmp;
  static Path run;

  @BeforeAll
  static void train() throws IOException {
    // 140 tokens: every word of the patterns is one token (a [MASK] stands for one token, not a word of several pieces)
    Path data = TinyText.prepare(tmp, "train", TinyText.lines(256, 0), null, 140);
    run = tmp.resolve("run");
    // 2 rounds of 8 steps per epoch, 16 epochs: 256 steps.
    PretrainJob.run(SharedSpark.get(), PretrainCommand.configFrom("--data", data.toString(), "--run", run.toString(), "--method", "mlm",
        "--encoder", "bert:layers=2,hidden=64,heads=2,ff=128", "--workers", "1", "--batch-size-per-worker", "16",
        "--averaging-frequency", "8", "--epochs", "16", "--lr", "1e-2", "--warmup-epochs", "0.5", "--seed", "3", "--dropout", "0",
        "--attention-dropout", "0", "--mask-prob", "0.25"), new PrintWriter(new StringWriter()), List.of());
  }

  @Test
  void theObviousTokenIsTheMostProbable() {
    PretextCliTest.Outcome o = PretextCliTest.run("fill-mask", "--model", run.toString(), "--top-k", "3",
        "the cat sat on the [MASK] 7", "the dog ran in the [MASK] 9", "a [MASK] swam in the sea 3", "the [MASK] sang in the [MASK] 5");
    assertEquals(0, o.code(), o.err());
    JsonNode json = o.json();
    assertEquals("fill-mask", json.get("command").asText());
    assertEquals("ok", json.get("status").asText());
    JsonNode results = json.get("results");
    assertEquals(4, results.size());
    // [CLS] the cat sat on the [MASK] 7 [SEP]: the literal [MASK] is one token, at position 6
    JsonNode first = results.get(0);
    assertEquals(9, first.get("tokens").asInt());
    assertEquals(6, first.get("masks").get(0).get("position").asInt());
    assertTop(first, 0, "mat");
    assertTop(results.get(1), 0, "park");
    assertTop(results.get(2), 0, "fish");
    assertEquals(2, results.get(3).get("masks").size());
    assertTop(results.get(3), 0, "bird");
    // with the subject masked too, only "sang" points to the tree: it must be among the two most probable places
    List<String> second = new ArrayList<>();
    results.get(3).get("masks").get(1).get("predictions").forEach(p -> second.add(p.get("token").asText()));
    assertTrue(second.subList(0, 2).contains("tree"), results.get(3).toString());
    assertTrue(o.err().contains("fill-mask: the cat sat on the [MASK] 7") && o.err().matches("(?s).*\\n\\s+1\\s+mat\\s+0\\.\\d{4}\\n.*"),
        o.err());
  }

  /** The top prediction at the {@code mask}-th [MASK] of a result is {@code token}, with three candidates in order. */
  private static void assertTop(JsonNode result, int mask, String token) {
    JsonNode predictions = result.get("masks").get(mask).get("predictions");
    assertEquals(3, predictions.size());
    assertEquals(token, predictions.get(0).get("token").asText(), result.toString());
    double p0 = predictions.get(0).get("probability").asDouble();
    double p1 = predictions.get(1).get("probability").asDouble();
    assertTrue(p0 > 0.25 && p0 >= p1 && p1 >= predictions.get(2).get("probability").asDouble(), result.toString());
  }

  @Test
  void aTextWithoutMaskIsAUsageErrorBeforeTheModelIsRead() {
    PretextCliTest.Outcome o = PretextCliTest.run("fill-mask", "--model", tmp.resolve("no-such-run").toString(), "the cat sat on the mat");
    assertEquals(PretextCli.EXIT_USAGE, o.code(), o.err());
    assertEquals("usage", o.json().get("status").asText());
    assertTrue(o.json().get("error").asText().contains("at least one [MASK]"), o.out());
    assertTrue(o.err().contains("Try 'pretext fill-mask --help'"), o.err());
  }

  @Test
  void aTextLongerThanTheModelReadsIsAUsageError() {
    PretextCliTest.Outcome o = PretextCliTest.run("fill-mask", "--model", run.toString(),
        "the cat sat on the [MASK] and the dog ran in the park and the bird sang in the tree");
    assertEquals(PretextCli.EXIT_USAGE, o.code(), o.err());
    assertTrue(o.json().get("error").asText().contains("longer than the 16 the model reads"), o.out());
  }

  @Test
  void aMissingModelFails() {
    PretextCliTest.Outcome o = PretextCliTest.run("fill-mask", "--model", tmp.resolve("no-such-run").toString(), "the [MASK] sat");
    assertEquals(PretextCli.EXIT_FAILED, o.code(), o.err());
    assertTrue(o.json().get("error").asText().contains("no-such-run"), o.out());
  }
}

package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestTexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code pretext prepare-text} through the real entry point: exit codes, messages, the final JSON line. */
class PrepareTextCommandTest {
  @TempDir static Path tmp;
  static Path corpus;

  /** Twelve distinct labelled documents, a copy of the fifth, and a line that is not JSON: 14 lines. */
  @BeforeAll
  static void corpus() throws IOException {
    SharedSpark.get();
    corpus = tmp.resolve("docs.jsonl");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      b.append("{\"text\": \"").append(TestTexts.sentence(i, 8)).append("\", \"label\": \"c").append(i % 3).append("\"}\n");
    }
    b.append("{\"text\": \"").append(TestTexts.sentence(4, 8)).append("\", \"label\": \"c1\"}\n");
    b.append("not json\n");
    Files.writeString(corpus, b);
  }

  static List<String> args(String... extra) {
    List<String> a = new ArrayList<>(List.of("prepare-text", "--input", corpus.toString(), "--output", tmp.resolve("out-" + extra.length).toString()));
    a.addAll(List.of(extra));
    return a;
  }

  @Test
  void helpListsTheOptions() {
    PretextCliTest.Outcome o = PretextCliTest.run("prepare-text", "--help");
    assertEquals(0, o.code());
    assertTrue(o.out().contains("Usage: pretext prepare-text") && o.out().contains("--vocab-size") && o.out().contains("--doc-split"), o.out());
  }

  @Test
  void preparesAndEndsWithAJsonLine() {
    Path out = tmp.resolve("ds");
    PretextCliTest.Outcome o = PretextCliTest.run("prepare-text", "--input", corpus.toString(), "--output", out.toString(),
        "--label-field", "label", "--vocab-size", "150", "--seq-len", "32", "--lowercase", "--shards", "2");
    assertEquals(0, o.code(), o.err());
    JsonNode j = o.json();
    assertEquals("prepare-text", j.get("command").asText());
    assertEquals("ok", j.get("status").asText());
    // each count against what corpus() wrote, not against the others
    JsonNode counts = j.get("counts");
    assertEquals(14, counts.get("seen").asLong(), j.toString());
    assertEquals(12, counts.get("accepted").asLong(), j.toString());
    assertEquals(1, counts.get("duplicates").asLong(), j.toString());
    assertEquals(1, counts.get("quarantined").asLong(), j.toString());
    List<String> reasons = new ArrayList<>();
    counts.get("quarantinedByReason").fieldNames().forEachRemaining(reasons::add);
    assertEquals(List.of("malformed_json"), reasons, j.toString());
    assertEquals(3, j.get("labels").asInt());
    assertTrue(j.get("text").get("lowercase").asBoolean());
    assertEquals(32, j.get("text").get("seqLen").asInt());
    assertTrue(o.err().contains("prepare-text: 14 seen, 12 accepted, 1 duplicates, 1 quarantined"), o.err());
    assertTrue(Files.exists(out.resolve("vocab.txt")) && Files.exists(out.resolve("_SUCCESS")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--seq-len 2 --vocab-size 100|--seq-len|'2'|3..65536",
      "--format xml --vocab-size 100|--format|'xml'|auto, text, jsonl, parquet",
      "--seq-len 64|--vocab-size|'0'|--vocab FILE",
      "--vocab-size 3|--vocab-size|'3'|6..1000000",
      "--vocab v.txt --vocab-size 100|--vocab-size|'100'|one of --vocab FILE and --vocab-size N",
      "--pack --label-field label --vocab-size 100|--pack|labeled|drop --pack",
      "--doc-split sentence --vocab-size 100|--doc-split|'sentence'|line, paragraph, file",
      "--normalize nfd --vocab-size 100|--normalize|'nfd'|nfc or nfkc",
      "--max-doc-bytes 0 --vocab-size 100|--max-doc-bytes|'0'|1..1073741824",
      "--format text --label-field label --vocab-size 100|--label-field|'label'|only with --format jsonl",
      "--shards 0 --vocab-size 100|--shards|'0'|1..100000",
      "--vocab-size 100 --min-frequency -1|--min-frequency|'-1'|>= 0"})
  void badOptionsAreUsageErrorsNamingTheOption(String extra, String option, String value, String allowed) {
    List<String> a = args(extra.split(" "));
    PretextCliTest.Outcome o = PretextCliTest.run(a.toArray(String[]::new));
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(option) && o.err().contains(value) && o.err().contains(allowed), o.err());
    assertEquals("usage", o.json().get("status").asText());
    assertTrue(Files.notExists(tmp.resolve("out-" + extra.split(" ").length)), "nothing is written when options are invalid");
  }

  @Test
  void missingOutputIsAUsageError() {
    PretextCliTest.Outcome o = PretextCliTest.run("prepare-text", "--input", corpus.toString(), "--vocab-size", "100");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--output"), o.err());
  }

  @Test
  void aMissingInputFailsTheJobWithExitCode1() {
    PretextCliTest.Outcome o = PretextCliTest.run("prepare-text", "--input", tmp.resolve("nothing-here").toString(), "--output",
        tmp.resolve("never").toString(), "--vocab-size", "100");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("does not exist"), o.err());
    assertEquals("failed", o.json().get("status").asText());
  }
}

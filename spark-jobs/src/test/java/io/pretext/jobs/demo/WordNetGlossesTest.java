package io.pretext.jobs.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.text.DocSplit;
import io.pretext.data.text.PrepareTextConfig;
import io.pretext.data.text.PrepareTextJob;
import io.pretext.data.text.TextFormat;
import io.pretext.data.text.UnicodeForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WordNet gloss converter on small synthetic data files in WordNet 3.0's format, then prepare-text on its output. */
class WordNetGlossesTest {
  @TempDir Path tmp;

  static final String HEADER = "  1 This software and database is being provided to you, the LICENSEE, by  \n"
      + "  2 Princeton University under the following license.  \n";

  /** A data line: offset, lex file, synset type, one word, no pointers, the gloss; two trailing spaces as in WordNet. */
  static String line(String offset, int lexFile, String type, String word, String gloss) {
    return offset + " " + String.format("%02d", lexFile) + " " + type + " 01 " + word + " 0 000 | " + gloss + "  \n";
  }

  Path wordnet() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("wordnet"));
    StringBuilder noun = new StringBuilder(HEADER);
    for (int i = 0; i < 30; i++) {
      noun.append(line(String.format("%08d", 1740 + i * 100), 5 + i % 3, "n", "thing" + i, "a creature of kind " + i + "; \"the creature " + i + " ran\""));
    }
    noun.append("garbage without a bar\n");
    Files.writeString(dir.resolve("data.noun"), noun);
    StringBuilder verb = new StringBuilder(HEADER);
    for (int i = 0; i < 20; i++) {
      verb.append(line(String.format("%08d", 5000 + i * 37), 38, "v", "run" + i, "move fast in manner " + i));
    }
    Files.writeString(dir.resolve("data.verb"), verb);
    Files.writeString(dir.resolve("data.adj"), HEADER + line("00001740", 0, "a", "able", "(usually followed by `to') having the necessary means")
        + line("00002098", 0, "s", "unable", "not having the necessary means or skill or know-how"));
    Files.writeString(dir.resolve("data.adv"), HEADER + line("00001740", 2, "r", "very", "to a high degree"));
    return dir;
  }

  static List<JsonNode> read(String file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(Path.of(file.replaceFirst("^file:", "")))) {
      out.add(json.readTree(l));
    }
    return out;
  }

  @Test
  void glossesLabelsAndADisjointSplit() throws IOException {
    WordNetGlosses.Result r = WordNetGlosses.convert(wordnet().toString(), tmp.resolve("out").toString(), new Configuration());
    assertEquals(30 + 20 + 2 + 1, r.glosses());
    assertEquals(1, r.malformed(), "the line without ' | ' is counted, not dropped silently");
    assertEquals(r.glosses(), r.train() + r.test());
    List<JsonNode> train = read(r.trainFile());
    List<JsonNode> test = read(r.testFile());
    assertEquals(r.train(), train.size());
    assertEquals(r.test(), test.size());
    assertTrue(r.test() > 0 && r.train() > r.test());
    Map<String, JsonNode> all = new TreeMap<>();
    for (JsonNode n : train) {
      assertEquals("train", n.get("split").asText());
      all.put(n.get("synset").asText(), n);
    }
    for (JsonNode n : test) {
      assertEquals("test", n.get("split").asText());
      assertNull(all.put(n.get("synset").asText(), n), "a synset is on one side only");
    }
    assertEquals(53, all.size(), "n00001740 and a00001740 and r00001740 are different synsets");
    JsonNode first = all.get("n00001740");
    assertEquals("a creature of kind 0; \"the creature 0 ran\"", first.get("text").asText(), "gloss after ' | ', trailing spaces removed");
    assertEquals("noun.animal", first.get("label").asText());
    assertEquals(5, first.get("labelIndex").asInt());
    assertEquals("verb.motion", all.get("v00005000").get("label").asText());
    assertEquals("adj.all", all.get("a00002098").get("label").asText(), "satellite adjectives are adjectives");
    assertEquals("adv.all", all.get("r00001740").get("label").asText());
    for (JsonNode n : all.values()) {
      String pos = switch (n.get("synset").asText().charAt(0)) {
        case 'n' -> "noun";
        case 'v' -> "verb";
        case 'a' -> "adj";
        default -> "adv";
      };
      assertEquals(WordNetGlosses.isTest(pos, n.get("synset").asText().substring(1)), n.get("split").asText().equals("test"));
    }
  }

  @Test
  void theSplitIsAbout80To20AndStable() {
    int test = 0;
    for (int i = 0; i < 20_000; i++) {
      test += WordNetGlosses.isTest(i % 2 == 0 ? "noun" : "verb", String.format("%08d", i * 13)) ? 1 : 0;
    }
    // 20,000 draws at 0.2: sd 57; 5 sd either side.
    assertTrue(Math.abs(test - 4000) < 5 * 57, "held out " + test + " of 20000");
    assertTrue(WordNetGlosses.isTest("noun", "00001740") == WordNetGlosses.isTest("noun", "00001740"));
    assertEquals(45, WordNetGlosses.LEXNAMES.size());
    assertEquals("noun.Tops", WordNetGlosses.LEXNAMES.get(3));
    assertEquals("adj.ppl", WordNetGlosses.LEXNAMES.get(44));
  }

  @Test
  void missingDataFileSaysWhatToInstall() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> WordNetGlosses.convert(tmp.resolve("none").toString(), tmp.resolve("out").toString(), new Configuration()));
    assertTrue(e.getMessage().contains("wordnet-base"), e.getMessage());
  }

  @Test
  void prepareTextReadsTheConverterOutputWithLabels() throws IOException {
    WordNetGlosses.Result r = WordNetGlosses.convert(wordnet().toString(), tmp.resolve("out").toString(), new Configuration());
    PrepareTextConfig c = new PrepareTextConfig(r.trainFile(), tmp.resolve("ds").toString(), TextFormat.AUTO, null, DocSplit.LINE, "text",
        "label", null, null, UnicodeForm.NFC, true, 1 << 20, 64, false, null, 120, 2, 1000, 2, 42, false);
    DatasetManifest m = PrepareTextJob.run(SharedSpark.get(), c).manifest();
    assertEquals(r.train(), m.counts().seen());
    assertEquals(r.train(), m.counts().accepted());
    assertTrue(m.labelNames().contains("noun.animal"));
    assertEquals("jsonl", m.source().format());
  }
}

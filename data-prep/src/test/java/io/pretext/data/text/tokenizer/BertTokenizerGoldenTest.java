package io.pretext.data.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.model.batch.TokenBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java tokenizer against HuggingFace tokenizers 0.22.2 (golden files from {@code bench/reference/bert_golden.py}):
 * the normalisation of every Unicode code point, and the ids of 82 hand-picked and 3000 generated strings under a cased
 * and an uncased vocabulary.
 */
class BertTokenizerGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String hex(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(cp -> b.append(b.length() == 0 ? "" : " ").append(Integer.toHexString(cp)));
    return b.toString();
  }

  /** Every code point, alone, normalised as HuggingFace's BertNormalizer does, cased and uncased. */
  @Test
  void everyCodePointNormalisesAsHuggingFace() {
    Map<Integer, String> uncasedGolden = new HashMap<>();
    for (String line : Golden.lines("uncased-golden.tsv.gz")) {
      String[] f = line.split("\t", -1);
      StringBuilder b = new StringBuilder();
      for (String h : f[1].isEmpty() ? new String[0] : f[1].split(" ")) {
        b.appendCodePoint(Integer.parseInt(h, 16));
      }
      uncasedGolden.put(Integer.parseInt(f[0], 16), b.toString());
    }
    BasicTokenizer cased = new BasicTokenizer(false);
    BasicTokenizer uncased = new BasicTokenizer(true);
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        continue;
      }
      String c = new String(Character.toChars(cp));
      byte cls = BertUnicode.classOf(cp);
      String expectCased = switch (cls) {
        case BertUnicode.REMOVED -> "";
        case BertUnicode.SPACE -> " ";
        case BertUnicode.CJK -> " " + c + " ";
        default -> c;
      };
      String golden = uncasedGolden.get(cp);
      String expectUncased = golden != null ? golden : expectCased;
      String gotCased = cased.normalize(c);
      String gotUncased = uncased.normalize(c);
      if (!gotCased.equals(expectCased) || !gotUncased.equals(expectUncased)) {
        wrong.add(Integer.toHexString(cp) + ": cased [" + hex(gotCased) + "] want [" + hex(expectCased) + "], uncased ["
            + hex(gotUncased) + "] want [" + hex(expectUncased) + "]");
      }
      checked++;
    }
    assertEquals(0x110000 - 0x800, checked);
    assertTrue(wrong.isEmpty(), wrong.size() + " code points differ from HuggingFace, e.g. " + wrong.subList(0, Math.min(10, wrong.size())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"uncased", "cased"})
  void idsMatchHuggingFaceOnGoldenCases(String casing) throws IOException {
    BertTokenizer tokenizer = new BertTokenizer(Golden.vocab("vocab-" + casing + ".txt"), casing.equals("uncased"));
    int cases = 0;
    int unknown = 0;
    int longWords = 0;
    for (String line : Golden.lines("cases.jsonl.gz")) {
      JsonNode c = JSON.readTree(line);
      String text = c.get("text").asText();
      JsonNode ids = c.get(casing);
      int[] want = new int[ids.size()];
      for (int i = 0; i < want.length; i++) {
        want[i] = ids.get(i).asInt();
        unknown += want[i] == TokenBatch.UNK_ID ? 1 : 0;
      }
      longWords += text.codePoints().count() > WordPiece.MAX_INPUT_CHARS_PER_WORD ? 1 : 0;
      assertArrayEquals(want, tokenizer.encode(text), () -> c.get("kind").asText() + " case " + JSON.valueToTree(text));
      cases++;
    }
    assertEquals(82 + 3000, cases);
    assertTrue(unknown > 100 && longWords > 10, "the cases exercise [UNK] (" + unknown + ") and long inputs (" + longWords + ")");
  }

  @Test
  void specialTokenTextIsOrdinaryText() {
    Vocabulary v = Golden.vocab("vocab-uncased.txt");
    int[] ids = new BertTokenizer(v, true).encode("[MASK]");
    assertEquals(v.id("["), ids[0]);
    assertEquals(v.id("]"), ids[ids.length - 1]);
    assertTrue(ids.length >= 3, "'[', the pieces of 'mask', ']'");
    for (int id : ids) {
      assertTrue(id >= TokenBatch.SPECIAL_TOKENS, "never a special id");
    }
  }

  @Test
  void longestMatchFirstAndUnknownWords() {
    Vocabulary v = Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "una", "##ff", "a", "##a"));
    WordPiece wp = new WordPiece(v);
    IntList out = new IntList();
    wp.tokenize("unaffable", out);
    // "una" is longer than "un", then "##ff", "##able" (BERT's docstring example, with one more piece to prefer).
    assertArrayEquals(new int[] {8, 9, 7}, out.toArray());
    out.clear();
    wp.tokenize("unx", out);
    assertArrayEquals(new int[] {TokenBatch.UNK_ID}, out.toArray(), "no piece covers 'x': the whole word is [UNK]");
    out.clear();
    wp.tokenize("a".repeat(100), out);
    assertEquals(100, out.size(), "100 code points are tokenised");
    out.clear();
    wp.tokenize("a".repeat(101), out);
    assertArrayEquals(new int[] {TokenBatch.UNK_ID}, out.toArray(), "101 are [UNK]");
  }
}

package io.pretext.data.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.batch.TokenBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VocabularyTest {
  static final String SPECIALS = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";

  static Vocabulary parse(String s) {
    return Vocabulary.parse(s.getBytes(StandardCharsets.UTF_8), "v.txt");
  }

  static void refused(byte[] content, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse(content, "v.txt"));
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }

  static void refused(String content, String... parts) {
    refused(content.getBytes(StandardCharsets.UTF_8), parts);
  }

  @Test
  void readsAsHuggingFaceDoes() {
    Vocabulary v = parse(SPECIALS + "the\r\n##s \nof\u00a0\n##ing");
    assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "##s", "of", "##ing"), v.tokens(),
        "CR LF, trailing Unicode whitespace and a missing final line feed are fine");
    assertEquals(TokenBatch.MASK_ID, v.id("[MASK]"));
    assertEquals(6, v.id("##s"));
    assertTrue(v.isContinuation(6) && v.isContinuation(8) && !v.isContinuation(5));
    assertEquals(-1, v.id("missing"));
    assertEquals(v, Vocabulary.parse(v.toBytes(), "again"));
    assertEquals(64, v.sha256().length());
  }

  @Test
  void refusesBadFilesNamingTheLine() {
    refused("[PAD]\n[CLS]\n[UNK]\n[SEP]\n[MASK]\nx\n", "line 2", "'[CLS]'", "[UNK]");
    refused(SPECIALS + "a\nb\na\n", "line 8", "'a'", "line 6");
    refused(SPECIALS + "a\n\nb\n", "line 7", "empty");
    refused(SPECIALS, "5 tokens", "6..1000000");
    refused(new byte[] {'[', 'P', 'A', 'D', ']', '\n', (byte) 0xFF}, "not valid UTF-8");
  }

  /** BasicTokenizer.hasWords, the cheap test prepare-text uses, agrees with words() on random strings. */
  @Test
  void hasWordsAgreesWithWords() {
    SplittableRandom rng = new SplittableRandom(3);
    int[] pool = {'a', ' ', '\t', 0x200B, 0x00AD, 0x0301, 0x0300, 0xFEFF, 0x3000, '!', 0x4E00, 0x1F600, 0xE000, 0x0085};
    for (boolean lower : new boolean[] {true, false}) {
      BasicTokenizer b = new BasicTokenizer(lower);
      for (int i = 0; i < 5000; i++) {
        StringBuilder s = new StringBuilder();
        for (int k = rng.nextInt(5); k >= 0; k--) {
          s.appendCodePoint(pool[rng.nextInt(rng.nextBoolean() ? pool.length : 9)]);
        }
        assertEquals(!b.words(s.toString()).isEmpty(), b.hasWords(s.toString()), "lowercase " + lower + ": " + s.codePoints().boxed().toList());
      }
    }
  }
}

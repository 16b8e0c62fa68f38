package io.pretext.data.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trainer by hand on a tiny corpus, and against HuggingFace's WordPieceTrainer (golden vocabularies from
 * {@code bench/reference/bert_golden.py}) with HuggingFace's numbering of the {@code ##c} tokens replayed.
 */
class WordPieceTrainerTest {
  private static final List<String> TINY = List.of("low lower lowest", "newer newest wider", "low low new", "wide wider widest");

  static Map<String, Long> count(List<String> lines, boolean lowercase) {
    BasicTokenizer basic = new BasicTokenizer(lowercase);
    Map<String, Long> counts = new HashMap<>();
    for (String line : lines) {
      basic.forEachWord(line, w -> counts.merge(w, 1L, Long::sum));
    }
    return counts;
  }

  /** HuggingFace's ##c tokens in the order its run numbered them (they precede every merged token). */
  static List<String> continuationOrder(List<String> vocab) {
    List<String> order = new ArrayList<>();
    for (String t : vocab) {
      if (t.startsWith("##") && t.codePointCount(2, t.length()) == 1) {
        order.add(t);
      }
    }
    return order;
  }

  /**
   * Derived by hand. Ids: specials 0-4, d e i l n o r s t w 5-14, ##d ##e ##i ##o ##r ##s ##t ##w 15-22. Pair counts
   * (word counts: low 3, wider 2, the rest 1): (l,##o) = (##o,##w) = 5; (w,##i) = (##i,##d) = (##d,##e) = (##e,##r) =
   * (##w,##e) = 4; (n,##e) = (##e,##w) = (##e,##s) = (##s,##t) = 3.
   * <ol>
   *   <li>"lo": count 5, pair (8,18) before (18,22);
   *   <li>"low": (lo,##w) now has 5; (##w,##e) drops to 2;
   *   <li>"wi": the count-4 pairs are (14,17) (15,16) (16,19) (17,15): (w,##i) has the smallest ids;
   *   <li>"##de": (15,16); (##e,##r) and (##e,##s) drop to 2;
   *   <li>"wide": (wi,##de) has 4;
   *   <li>"ne": the count-3 pairs (9,16) (20,21): (n,##e) first; then "##st": 30 tokens.
   * </ol>
   */
  @Test
  void tinyCorpusAsDerivedByHand() {
    Vocabulary v = WordPieceTrainer.train(count(TINY, true), new WordPieceTrainer.Settings(30, 2, 1000));
    assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "d", "e", "i", "l", "n", "o", "r", "s", "t", "w",
        "##d", "##e", "##i", "##o", "##r", "##s", "##t", "##w", "lo", "low", "wi", "##de", "wide", "ne", "##st"), v.tokens());
  }

  @Test
  void tinyCorpusIsHuggingFacesWithItsNumbering() {
    List<String> hf = Golden.lines("trainer-tiny-hf.txt");
    assertEquals(30, hf.size());
    assertEquals(hf, WordPieceTrainer.train(count(TINY, true), new WordPieceTrainer.Settings(30, 2, 1000), continuationOrder(hf)));
  }

  /** 1,650 lines of synthetic multilingual text, vocabulary 1000: HuggingFace's list, token for token. */
  @ParameterizedTest
  @ValueSource(strings = {"uncased", "cased"})
  void corpusIsHuggingFacesWithItsNumbering(String casing) {
    List<String> hf = Golden.lines("trainer-hf-" + casing + ".txt");
    Map<String, Long> counts = count(Golden.lines("corpus.txt"), casing.equals("uncased"));
    List<String> ours = WordPieceTrainer.train(counts, new WordPieceTrainer.Settings(1000, 2, 1000), continuationOrder(hf));
    assertEquals(1000, hf.size());
    for (int i = 0; i < hf.size(); i++) {
      assertEquals(hf.get(i), ours.get(i), "token " + i);
    }
    assertEquals(hf, ours);
  }

  @Test
  void deterministicWithoutAReplayedOrder() {
    Map<String, Long> counts = count(Golden.lines("corpus.txt"), true);
    WordPieceTrainer.Settings s = new WordPieceTrainer.Settings(800, 2, 1000);
    assertEquals(WordPieceTrainer.train(counts, s), WordPieceTrainer.train(new HashMap<>(counts), s));
  }

  @Test
  void minFrequencyStopsTheMerges() {
    // Every pair occurs once: nothing reaches min_frequency 2, so only specials, alphabet and ##c remain.
    Vocabulary v = WordPieceTrainer.train(Map.of("ab", 1L, "cd", 1L), new WordPieceTrainer.Settings(100, 2, 1000));
    assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "##b", "##d"), v.tokens());
    Vocabulary merged = WordPieceTrainer.train(Map.of("ab", 1L, "cd", 1L), new WordPieceTrainer.Settings(100, 1, 1000));
    // min_frequency 1: each word's one pair merges, in either order (a tie), and nothing is left to merge.
    assertEquals(v.tokens(), merged.tokens().subList(0, v.size()), "the same specials and alphabet first");
    assertEquals(Set.of("ab", "cd"), Set.copyOf(merged.tokens().subList(v.size(), merged.size())), merged.tokens().toString());
  }

  @Test
  void limitAlphabetDropsTheRarestCharacters() {
    // Weighted counts a 15, b 5, z 5, q 1, y 1 (both from "qy"): with room for 4, one of the two rarest
    // goes, and the tie goes against the larger code point: 'y' is dropped, also from inside words (no ##y).
    Vocabulary v = WordPieceTrainer.train(Map.of("aaz", 5L, "ba", 5L, "qy", 1L), new WordPieceTrainer.Settings(6, 2, 4));
    assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "q", "z", "##a", "##z"), v.tokens());
    assertFalse(v.tokens().contains("y") || v.tokens().contains("##y"));
  }

  @Test
  void settingsAreValidated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WordPieceTrainer.Settings(5, 2, 1000));
    assertTrue(e.getMessage().contains("--vocab-size") && e.getMessage().contains("'5'") && e.getMessage().contains("6..1000000"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new WordPieceTrainer.Settings(100, -1, 1000));
    assertThrows(IllegalArgumentException.class, () -> new WordPieceTrainer.Settings(100, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> WordPieceTrainer.train(Map.of(), new WordPieceTrainer.Settings(100, 2, 10)));
  }
}

package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.TextRecords;
import io.pretext.model.batch.TokenBatch;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Windows, packing, document normalisation, validation and options, without Spark. */
class TextPiecesTest {
  static final BitSet CONTINUATION = new BitSet();

  static {
    CONTINUATION.set(50, 100); // ids 50..99 are ## pieces in these tests
  }

  @Test
  void windowsLoseNothingAndCarryClsAndSep() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int trial = 0; trial < 500; trial++) {
      int seqLen = 3 + rng.nextInt(30);
      int[] pieces = new int[1 + rng.nextInt(200)];
      for (int i = 0; i < pieces.length; i++) {
        pieces[i] = i == 0 || rng.nextInt(3) > 0 ? 5 + rng.nextInt(45) : 50 + rng.nextInt(50);
      }
      List<int[]> windows = TextSequences.windows(pieces, seqLen, CONTINUATION);
      List<Integer> joined = new ArrayList<>();
      for (int w = 0; w < windows.size(); w++) {
        int[] t = windows.get(w);
        assertTrue(t.length >= 3 && t.length <= seqLen, "window length " + t.length + " for seq-len " + seqLen);
        assertEquals(TokenBatch.CLS_ID, t[0]);
        assertEquals(TokenBatch.SEP_ID, t[t.length - 1]);
        if (w > 0 && CONTINUATION.get(t[1])) {
          int[] prev = windows.get(w - 1);
          for (int i = 2; i < prev.length - 1; i++) {
            assertTrue(CONTINUATION.get(prev[i]), "cut inside a word that did not fill the window");
          }
        }
        for (int i = 1; i < t.length - 1; i++) {
          joined.add(t[i]);
        }
      }
      assertEquals(java.util.Arrays.stream(pieces).boxed().toList(), joined);
    }
  }

  @Test
  void aCutMovesBackToTheStartOfAWord() {
    // seq-len 6 holds 4 pieces. Words 5 | 8 | 6 ##50 ##51 | 7: after 4 pieces the cut would fall between ##50 and
    // ##51, so it moves back before 6.
    List<int[]> w = TextSequences.windows(new int[] {5, 8, 6, 50, 51, 7}, 6, CONTINUATION);
    assertArrayEquals(new int[] {2, 5, 8, 3}, w.get(0));
    assertArrayEquals(new int[] {2, 6, 50, 51, 7, 3}, w.get(1));
    assertEquals(1, TextSequences.windows(new int[] {5, 6, 7, 8}, 6, CONTINUATION).size(), "exactly seq-len - 2 pieces fit");
  }

  @Test
  void packingSeparatesDocumentsBySep() {
    List<Row> rows = new ArrayList<>();
    TextSequences.Assembler a = new TextSequences.Assembler(10, true, CONTINUATION, rows::add);
    a.add("a1", "s:1", null, new int[] {5, 6});
    a.add("a2", "s:2", null, new int[] {7, 8, 9});
    a.add("a3", "s:3", null, new int[] {10, 11, 12});
    a.add("a4", "s:4", null, new int[] {13, 14, 15, 16, 17, 18, 19, 20, 21, 22});
    a.add("a5", "s:5", null, new int[] {23});
    a.flush();
    assertEquals(5, rows.size());
    assertArrayEquals(new int[] {2, 5, 6, 3, 7, 8, 9, 3}, TextRecords.tokens(rows.get(0)), "a3 would make 12 > 10");
    assertEquals(2, TextRecords.documents(rows.get(0)));
    assertEquals("a1", TextRecords.id(rows.get(0)));
    assertArrayEquals(new int[] {2, 10, 11, 12, 3}, TextRecords.tokens(rows.get(1)), "closed before a4, which needs windows");
    assertEquals("a4", TextRecords.id(rows.get(2)));
    assertEquals(2, TextRecords.windows(rows.get(2)));
    assertEquals(1, TextRecords.window(rows.get(3)));
    assertEquals("a5", TextRecords.id(rows.get(4)));
  }

  @Test
  void normalisationRemovesControlsAndComposes() {
    assertEquals("ab\tc\nd\r\u00e9", TextNormalizer.normalize("a\u0000b\tc\nd\r\u0007e\u0301\u0085", UnicodeForm.NFC));
    assertEquals("\ufb01ne", TextNormalizer.normalize("\ufb01ne", UnicodeForm.NFC));
    assertEquals("fine", TextNormalizer.normalize("\ufb01ne", UnicodeForm.NFKC));
  }

  @Test
  void strictUtf8NamesTheOffset() throws DocumentValidator.InvalidUtf8 {
    assertEquals("h\u00e9", DocumentValidator.strictUtf8(new byte[] {'h', (byte) 0xC3, (byte) 0xA9}));
    DocumentValidator.InvalidUtf8 e = assertThrows(DocumentValidator.InvalidUtf8.class,
        () -> DocumentValidator.strictUtf8(new byte[] {'a', 'b', (byte) 0xE9, 'c'}));
    assertTrue(e.getMessage().contains("byte 2") && e.getMessage().contains("E9"), e.getMessage());
    assertThrows(DocumentValidator.InvalidUtf8.class, () -> DocumentValidator.strictUtf8(new byte[] {'a', (byte) 0xE2, (byte) 0x82}), "truncated");
    assertThrows(DocumentValidator.InvalidUtf8.class, () -> DocumentValidator.strictUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "a surrogate");
    assertThrows(DocumentValidator.InvalidUtf8.class, () -> DocumentValidator.strictUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF}), "overlong");
  }

  static PrepareTextConfig options(String format, int seqLen, boolean pack, String labelField, String vocab, int vocabSize) {
    return new PrepareTextConfig("in", "out", TextFormat.parse(format), null, DocSplit.LINE, null, labelField, null, null,
        UnicodeForm.NFC, true, 1000, seqLen, pack, vocab, vocabSize, 2, 1000, 4, 1, false);
  }

  @Test
  void optionsAreValidatedNamingTheOption() {
    assertMessage(() -> options("auto", 2, false, null, null, 100), "--seq-len", "'2'", "3..65536");
    assertMessage(() -> options("xml", 16, false, null, null, 100), "--format", "'xml'", "auto, text, jsonl, parquet");
    assertMessage(() -> options("auto", 16, true, "label", null, 100), "--pack", "labeled");
    assertMessage(() -> options("auto", 16, false, null, null, 0), "--vocab-size", "--vocab FILE");
    assertMessage(() -> options("auto", 16, false, null, "v.txt", 100), "--vocab-size", "one of");
    assertMessage(() -> options("auto", 16, false, null, null, 3), "--vocab-size", "6..1000000");
    assertMessage(() -> options("text", 16, false, "label", null, 100), "--label-field", "jsonl");
    assertMessage(() -> DocSplit.parse("sentence"), "--doc-split", "line, paragraph, file");
    assertMessage(() -> UnicodeForm.parse("nfd"), "--normalize", "nfc or nfkc");
    PrepareTextConfig ok = options("AUTO", 128, true, null, null, 8000);
    assertEquals(8000, ok.trainer().vocabSize());
    assertNull(options("jsonl", 16, false, "label", "v.txt", 0).trainer());
  }

  static void assertMessage(Runnable r, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }
}

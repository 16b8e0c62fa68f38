package io.pretext.data.text.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.batch.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dynamic masking: its rates (statistically), what can and cannot be chosen, whole words, determinism, and
 * independence from batch composition.
 *
 * <p>Statistical bounds: each of the five statistical checks below fails a correct implementation with probability at
 * most 1e-6 (normal bounds at 5 standard deviations, two-sided 5.7e-7; chi-square bounds at the 1 - 1e-6 quantile), so
 * the class fails spuriously less than once in 200,000 runs. The inputs are drawn from a fixed seed, so a run is
 * reproducible; the bounds matter when the seed or the implementation changes.
 */
class DynamicMaskingTest {
  static final int VOCAB = 25; // ids 5..24 are the maskable ones: 20 of them
  static final double Z = 5.0;

  static DynamicMasking masking(MaskingConfig config, BitSet continuation) {
    return new DynamicMasking(config, 1234, VOCAB, continuation);
  }

  /** [CLS] + {@code inner} random non-special ids + [SEP]. */
  static int[] sequence(SplittableRandom rng, int inner) {
    int[] s = new int[inner + 2];
    s[0] = TokenBatch.CLS_ID;
    for (int i = 1; i <= inner; i++) {
      s[i] = TokenBatch.SPECIAL_TOKENS + rng.nextInt(VOCAB - TokenBatch.SPECIAL_TOKENS);
    }
    s[inner + 1] = TokenBatch.SEP_ID;
    return s;
  }

  /** The chi-square statistic of {@code observed} against {@code probabilities}. */
  static double chiSquare(long[] observed, double[] probabilities) {
    long n = Arrays.stream(observed).sum();
    double x = 0;
    for (int i = 0; i < observed.length; i++) {
      double e = n * probabilities[i];
      x += (observed[i] - e) * (observed[i] - e) / e;
    }
    return x;
  }

  /** The chi-square quantile for {@code k} degrees of freedom at upper tail 1e-6 (Wilson-Hilferty; z = 4.753). */
  static double chiSquareBound(int k) {
    double a = 2.0 / (9 * k);
    return k * Math.pow(1 - a + 4.753 * Math.sqrt(a), 3);
  }

  @Test
  void chosenFractionAndReplacementRatesMatchTheRecipe() {
    SplittableRandom rng = new SplittableRandom(1);
    DynamicMasking m = masking(MaskingConfig.bert(), new BitSet());
    long maskable = 0;
    long chosen = 0;
    long[] outcome = new long[3]; // [MASK], unchanged, another token
    for (int r = 0; r < 4000; r++) {
      int[] s = sequence(rng, 126);
      DynamicMasking.Masked x = m.mask(s, 0, r);
      maskable += 126;
      chosen += x.positions().length;
      for (int j = 0; j < x.positions().length; j++) {
        int p = x.positions()[j];
        int seen = x.input()[p];
        outcome[seen == TokenBatch.MASK_ID ? 0 : seen == s[p] ? 1 : 2]++;
      }
    }
    double expected = maskable * 0.15;
    double sd = Math.sqrt(maskable * 0.15 * 0.85);
    assertTrue(Math.abs(chosen - expected) < Z * sd, "chosen " + chosen + " of " + maskable + ", expected " + expected + " +- " + Z * sd);
    // Random tokens are uniform over the 20 non-special ids, so 1 in 20 equals the original.
    double same = 0.1 + 0.1 / 20;
    double x2 = chiSquare(outcome, new double[] {0.8, same, 1 - 0.8 - same});
    assertTrue(x2 < chiSquareBound(2), "outcomes " + Arrays.toString(outcome) + ": chi-square " + x2 + " >= " + chiSquareBound(2));
  }

  @Test
  void randomTokensAreUniformOverNonSpecialIds() {
    DynamicMasking m = masking(new MaskingConfig(0.5, 0, 1, 0, false), new BitSet());
    long[] counts = new long[VOCAB - TokenBatch.SPECIAL_TOKENS];
    for (int r = 0; r < 2000; r++) {
      int[] s = new int[64];
      Arrays.fill(s, 7);
      DynamicMasking.Masked x = m.mask(s, 3, r);
      for (int p : x.positions()) {
        int seen = x.input()[p];
        assertTrue(seen >= TokenBatch.SPECIAL_TOKENS && seen < VOCAB, "random token " + seen + " is special or outside the vocabulary");
        counts[seen - TokenBatch.SPECIAL_TOKENS]++;
      }
    }
    double[] uniform = new double[counts.length];
    Arrays.fill(uniform, 1.0 / counts.length);
    double x2 = chiSquare(counts, uniform);
    assertTrue(x2 < chiSquareBound(counts.length - 1), Arrays.toString(counts) + ": chi-square " + x2);
  }

  @Test
  void specialTokensAndPaddingAreNeverChosen() {
    int[] a = {TokenBatch.CLS_ID, 9, 10, TokenBatch.SEP_ID, 11, TokenBatch.UNK_ID, 12, TokenBatch.SEP_ID};
    int[] b = {TokenBatch.CLS_ID, TokenBatch.MASK_ID, 13, TokenBatch.PAD_ID, TokenBatch.SEP_ID};
    DynamicMasking all = masking(new MaskingConfig(1.0, 1, 0, 0, false), new BitSet());
    TokenBatch batch = new TokenBatchBuilder().add(a, 1).add(b, 2).masked(all, 0);
    assertEquals(8, batch.paddedLength());
    // Every maskable token and nothing else: a's 9, 10, 11, 12 and b's 13.
    assertArrayEquals(new int[] {1, 2, 4, 6, 8 + 2}, batch.maskedPositions());
    assertArrayEquals(new int[] {9, 10, 11, 12, 13}, batch.maskedLabels());
    int[] t = batch.tokens();
    for (int col = b.length; col < 8; col++) {
      assertEquals(TokenBatch.PAD_ID, t[8 + col], "padding after the shorter sequence");
    }
    assertEquals(TokenBatch.UNK_ID, t[5]);
    assertEquals(TokenBatch.SEP_ID, t[3]);

    DynamicMasking bert = masking(MaskingConfig.bert(), new BitSet());
    SplittableRandom rng = new SplittableRandom(2);
    for (int r = 0; r < 500; r++) {
      int[] s = sequence(rng, 30);
      s[7] = TokenBatch.UNK_ID;
      s[15] = TokenBatch.SEP_ID;
      for (int label : bert.mask(s, r % 3, r).labels()) {
        assertTrue(label >= TokenBatch.SPECIAL_TOKENS);
      }
    }
  }

  /** Ids 15..24 are continuation pieces: a word is a piece from 5..14 (or a stray ## after a special) plus its ## tail. */
  @Test
  void wholeWordsAreChosenCompletelyAtTheTokenRate() {
    BitSet cont = new BitSet();
    cont.set(15, 25);
    DynamicMasking m = masking(new MaskingConfig(0.15, 0.8, 0.1, 0.1, true), cont);
    SplittableRandom rng = new SplittableRandom(3);
    long tokens = 0;
    long chosen = 0;
    double variance = 0;
    for (int r = 0; r < 3000; r++) {
      int[] s = sequence(rng, 126);
      BitSet targets = new BitSet();
      for (int p : m.mask(s, 0, r).positions()) {
        targets.set(p);
      }
      for (int i = 1; i <= 126; ) {
        int end = i + 1;
        while (end <= 126 && cont.get(s[end])) {
          end++;
        }
        int inWord = targets.get(i, end).cardinality();
        assertTrue(inWord == 0 || inWord == end - i, "record " + r + ": word [" + i + ", " + end + ") partly chosen");
        variance += 0.15 * 0.85 * (end - i) * (end - i);
        i = end;
      }
      tokens += 126;
      chosen += targets.cardinality();
    }
    double expected = tokens * 0.15;
    assertTrue(Math.abs(chosen - expected) < Z * Math.sqrt(variance), "chosen " + chosen + " of " + tokens + ", expected " + expected);
  }

  @Test
  void everyRecordWithAMaskableTokenGetsATarget() {
    DynamicMasking m = masking(MaskingConfig.bert(), new BitSet());
    for (int r = 0; r < 1000; r++) {
      int[] one = {TokenBatch.CLS_ID, 6 + r % 10, TokenBatch.SEP_ID};
      assertArrayEquals(new int[] {1}, m.mask(one, r % 4, r).positions());
    }
    int[] none = {TokenBatch.CLS_ID, TokenBatch.UNK_ID, TokenBatch.SEP_ID};
    assertEquals(0, m.mask(none, 0, 5).positions().length);
  }

  @Test
  void sameInputsSameBatchAndANewEpochNewMasks() {
    DynamicMasking m = masking(MaskingConfig.bert(), new BitSet());
    SplittableRandom rng = new SplittableRandom(4);
    TokenBatchBuilder builder = new TokenBatchBuilder();
    for (int r = 0; r < 32; r++) {
      builder.add(sequence(rng, 10 + r), 1000 + r);
    }
    TokenBatch e0 = builder.masked(m, 0);
    assertEquals(e0, builder.masked(m, 0));
    assertEquals(e0, builder.masked(new DynamicMasking(MaskingConfig.bert(), 1234, VOCAB, new BitSet()), 0), "a copy of the masking");
    TokenBatch e1 = builder.masked(m, 1);
    assertNotEquals(Arrays.toString(e0.maskedPositions()), Arrays.toString(e1.maskedPositions()));
    assertNotEquals(e0, builder.masked(new DynamicMasking(MaskingConfig.bert(), 99, VOCAB, new BitSet()), 0), "another seed");
  }

  /** A record's masks are the same alone, in any batch at any row, with any padding: partitioning cannot change them. */
  @Test
  void masksDoNotDependOnBatchComposition() {
    DynamicMasking m = masking(MaskingConfig.bert(), new BitSet());
    SplittableRandom rng = new SplittableRandom(5);
    List<int[]> records = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      records.add(sequence(rng, 5 + rng.nextInt(40)));
    }
    for (int r = 0; r < records.size(); r++) {
      DynamicMasking.Masked alone = m.mask(records.get(r), 2, r);
      for (long shuffle : new long[] {1, 2, 3}) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < records.size(); k++) {
          order.add(k);
        }
        java.util.Collections.shuffle(order, new java.util.Random(shuffle * 31 + r));
        List<Integer> members = order.subList(0, 5 + (int) shuffle * 5);
        if (!members.contains(r)) {
          members.set(0, r);
        }
        TokenBatchBuilder b = new TokenBatchBuilder();
        for (int idx : members) {
          b.add(records.get(idx), idx);
        }
        int row = members.indexOf(r);
        TokenBatch batch = b.masked(m, 2);
        int t = batch.paddedLength();
        int[] seen = Arrays.copyOfRange(batch.tokens(), row * t, row * t + records.get(r).length);
        assertArrayEquals(alone.input(), seen, "record " + r + " at row " + row);
        List<Integer> positions = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int j = 0; j < batch.maskedPositions().length; j++) {
          if (batch.maskedPositions()[j] / t == row) {
            positions.add(batch.maskedPositions()[j] - row * t);
            labels.add(batch.maskedLabels()[j]);
          }
        }
        assertEquals(Arrays.stream(alone.positions()).boxed().toList(), positions);
        assertEquals(Arrays.stream(alone.labels()).boxed().toList(), labels);
      }
    }
  }

  @Test
  void unmaskedBatchKeepsTheTokens() {
    TokenBatch b = new TokenBatchBuilder().add(new int[] {2, 7, 3}, 1).add(new int[] {2, 3}, 2).unmasked();
    assertArrayEquals(new int[] {2, 7, 3, 2, 3, 0}, b.tokens());
    assertArrayEquals(new int[] {3, 2}, b.lengths());
    assertEquals(0, b.maskedPositions().length);
    assertThrows(IllegalStateException.class, () -> new TokenBatchBuilder().unmasked());
    assertThrows(IllegalArgumentException.class, () -> new TokenBatchBuilder().add(new int[0], 1));
  }

  @Test
  void configIsValidatedNamingTheOption() {
    IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> new MaskingConfig(0, 0.8, 0.1, 0.1, false));
    assertTrue(p.getMessage().contains("--mask-prob") && p.getMessage().contains("(0, 1]"), p.getMessage());
    IllegalArgumentException sum = assertThrows(IllegalArgumentException.class, () -> new MaskingConfig(0.15, 0.8, 0.1, 0.2, false));
    assertTrue(sum.getMessage().contains("sum to 1"), sum.getMessage());
    IllegalArgumentException rate = assertThrows(IllegalArgumentException.class, () -> new MaskingConfig(0.15, 1.2, -0.1, -0.1, false));
    assertTrue(rate.getMessage().contains("--mask-token-rate"), rate.getMessage());
    new MaskingConfig(0.15, 0.8, 0.1, 0.1, true);
    new MaskingConfig(1, 1, 0, 0, false);
    assertThrows(IllegalArgumentException.class, () -> new DynamicMasking(MaskingConfig.bert(), 1, 5, new BitSet()));
  }
}

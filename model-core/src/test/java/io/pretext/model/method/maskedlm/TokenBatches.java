package io.pretext.model.method.maskedlm;

import io.pretext.model.batch.TokenBatch;
import java.util.Arrays;
import java.util.Random;

/** Test helper: token batches from explicit sequences. */
final class TokenBatches {

  private TokenBatches() {
  }

  /**
   * Sequences padded to {@code t} with {@code padId}; the given positions (per sequence) are replaced by [MASK] and
   * become the targets.
   */
  static TokenBatch masked(int[][] sequences, int t, int[][] maskedPerSequence, int padId) {
    int n = sequences.length;
    int[] tokens = new int[n * t];
    Arrays.fill(tokens, padId);
    int[] lengths = new int[n];
    int m = 0;
    for (int[] ps : maskedPerSequence) {
      m += ps.length;
    }
    int[] positions = new int[m];
    int[] labels = new int[m];
    int j = 0;
    for (int i = 0; i < n; i++) {
      lengths[i] = sequences[i].length;
      System.arraycopy(sequences[i], 0, tokens, i * t, lengths[i]);
      int[] ps = maskedPerSequence[i].clone();
      Arrays.sort(ps);
      for (int p : ps) {
        positions[j] = i * t + p;
        labels[j] = sequences[i][p];
        tokens[i * t + p] = TokenBatch.MASK_ID;
        j++;
      }
    }
    return new TokenBatch(n, t, tokens, lengths, positions, labels);
  }

  /** {@link #masked} with [PAD] as padding. */
  static TokenBatch masked(int[][] sequences, int t, int[][] maskedPerSequence) {
    return masked(sequences, t, maskedPerSequence, TokenBatch.PAD_ID);
  }

  /** Random ids in {@code [SPECIAL_TOKENS, vocab)}, lengths as given. */
  static int[][] randomSequences(Random rng, int vocab, int... lengths) {
    int[][] out = new int[lengths.length][];
    for (int i = 0; i < lengths.length; i++) {
      out[i] = new int[lengths[i]];
      for (int k = 0; k < lengths[i]; k++) {
        out[i][k] = TokenBatch.SPECIAL_TOKENS + rng.nextInt(vocab - TokenBatch.SPECIAL_TOKENS);
      }
    }
    return out;
  }
}

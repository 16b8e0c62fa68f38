package io.pretext.model.batch;

import io.pretext.model.config.OptionCheck;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One minibatch of token sequences for a text method, in plain arrays: what the data pipeline (tokenisation and
 * dynamic masking in the executors) hands to the method, which turns it into the tensors its graph trains on.
 *
 * <p>Layout: {@code n} sequences padded to a common length {@code t} (the longest in the batch, so short batches waste
 * little compute on padding). {@code tokens} holds the (already masked) input ids row-major, {@code [n * t]}, with
 * {@link #PAD_ID} after each sequence's {@code lengths[i]} real tokens. The masked-language-model targets are sparse:
 * {@code maskedPositions[j]} is a flat index {@code row * t + column} of a chosen position (strictly increasing) and
 * {@code maskedLabels[j]} the original token id there. A batch for inference (embedding, evaluation) has no targets.
 *
 * <p>Ids are those of the dataset's {@code vocab.txt}, whose first five entries are the special tokens
 * {@code [PAD] [UNK] [CLS] [SEP] [MASK]} (ids 0-4).
 */
public final class TokenBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Id of {@code [PAD]}. */
  public static final int PAD_ID = 0;
  /** Id of {@code [UNK]}. */
  public static final int UNK_ID = 1;
  /** Id of {@code [CLS]}. */
  public static final int CLS_ID = 2;
  /** Id of {@code [SEP]}. */
  public static final int SEP_ID = 3;
  /** Id of {@code [MASK]}. */
  public static final int MASK_ID = 4;
  /** Number of special tokens at the start of every vocabulary. */
  public static final int SPECIAL_TOKENS = 5;

  private final int n;
  private final int t;
  private final int[] tokens;
  private final int[] lengths;
  private final int[] maskedPositions;
  private final int[] maskedLabels;
  private final int[] labels;

  /**
   * @param n sequences, at least 1
   * @param t padded length, at least 1 and at least every {@code lengths[i]}
   * @param tokens {@code [n * t]} input ids, {@code PAD_ID} beyond each length
   * @param lengths {@code [n]} real tokens per sequence, each in {@code 1..t}
   * @param maskedPositions {@code [m]} flat positions {@code row * t + column}, strictly increasing, each inside its
   *     row's real tokens
   * @param maskedLabels {@code [m]} original ids at those positions
   * @throws IllegalArgumentException if any of that does not hold
   */
  public TokenBatch(int n, int t, int[] tokens, int[] lengths, int[] maskedPositions, int[] maskedLabels) {
    OptionCheck.require(n >= 1, "TokenBatch.n", n, "an integer >= 1");
    OptionCheck.require(t >= 1, "TokenBatch.t", t, "an integer >= 1");
    OptionCheck.require(tokens != null && tokens.length == (long) n * t, "TokenBatch.tokens length",
        tokens == null ? null : tokens.length, "n * t = " + (long) n * t);
    OptionCheck.require(lengths != null && lengths.length == n, "TokenBatch.lengths length",
        lengths == null ? null : lengths.length, "n = " + n);
    for (int i = 0; i < n; i++) {
      OptionCheck.require(lengths[i] >= 1 && lengths[i] <= t, "TokenBatch.lengths[" + i + "]", lengths[i], "1.." + t);
    }
    OptionCheck.require(maskedPositions != null && maskedLabels != null && maskedPositions.length == maskedLabels.length,
        "TokenBatch.maskedLabels length", maskedLabels == null ? null : maskedLabels.length,
        "as many as maskedPositions (" + (maskedPositions == null ? null : maskedPositions.length) + ")");
    for (int j = 0; j < maskedPositions.length; j++) {
      int p = maskedPositions[j];
      OptionCheck.require(p >= 0 && p < n * t && p % t < lengths[p / t] && (j == 0 || p > maskedPositions[j - 1]),
          "TokenBatch.maskedPositions[" + j + "]", p, "strictly increasing flat positions inside each row's real tokens");
    }
    this.n = n;
    this.t = t;
    this.tokens = tokens;
    this.lengths = lengths;
    this.maskedPositions = maskedPositions;
    this.maskedLabels = maskedLabels;
    this.labels = null;
  }

  private TokenBatch(TokenBatch b, int[] labels) {
    this.n = b.n;
    this.t = b.t;
    this.tokens = b.tokens;
    this.lengths = b.lengths;
    this.maskedPositions = b.maskedPositions;
    this.maskedLabels = b.maskedLabels;
    this.labels = labels;
  }

  /**
   * This batch with a class label per sequence (fine-tuning: the document's label, shared by its windows).
   *
   * @throws IllegalArgumentException if there is not one label per sequence
   */
  public TokenBatch withLabels(int[] sequenceLabels) {
    OptionCheck.require(sequenceLabels != null && sequenceLabels.length == n, "TokenBatch labels length",
        sequenceLabels == null ? null : sequenceLabels.length, "n = " + n);
    return new TokenBatch(this, sequenceLabels.clone());
  }

  /** The sequences' class labels {@code [n]}, or null when the batch has none ({@link #withLabels}). */
  public int[] labels() {
    return labels == null ? null : labels.clone();
  }

  /** A batch without targets, for inference. */
  public static TokenBatch unmasked(int n, int t, int[] tokens, int[] lengths) {
    return new TokenBatch(n, t, tokens, lengths, new int[0], new int[0]);
  }

  public int size() {
    return n;
  }

  public int paddedLength() {
    return t;
  }

  /** The input ids, row-major {@code [n * t]}; not copied: do not modify. */
  public int[] tokens() {
    return tokens;
  }

  /** Real tokens per sequence {@code [n]}; not copied: do not modify. */
  public int[] lengths() {
    return lengths;
  }

  /** Flat positions of the prediction targets {@code [m]}; not copied: do not modify. */
  public int[] maskedPositions() {
    return maskedPositions;
  }

  /** Original ids at {@link #maskedPositions()} {@code [m]}; not copied: do not modify. */
  public int[] maskedLabels() {
    return maskedLabels;
  }

  /** Real (non-padding) tokens in the batch. */
  public long realTokens() {
    long sum = 0;
    for (int len : lengths) {
      sum += len;
    }
    return sum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenBatch b && b.n == n && b.t == t && Arrays.equals(b.tokens, tokens) && Arrays.equals(b.lengths, lengths)
        && Arrays.equals(b.maskedPositions, maskedPositions) && Arrays.equals(b.maskedLabels, maskedLabels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(maskedPositions);
  }

  @Override
  public String toString() {
    return "TokenBatch(n=" + n + ", t=" + t + ", real tokens " + realTokens() + ", targets " + maskedPositions.length + ")";
  }
}

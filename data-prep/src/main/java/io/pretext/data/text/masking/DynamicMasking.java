package io.pretext.data.text.masking;

import io.pretext.data.augment.ViewSeeds;
import io.pretext.data.text.tokenizer.IntList;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.model.batch.TokenBatch;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Dynamic masking for masked-language-model pretraining: new masks every epoch (RoBERTa, Liu et al. 2019, section 4.1),
 * made where the batch is built, inside the executors, as a pure function of (seed, epoch, record key, the record's
 * tokens). A retried task, another partitioning or another batch composition gives bit-identical masks.
 *
 * <p>For each position {@code i} of a record, one 64-bit value {@code h_i = ViewSeeds.mix(seed, epoch, recordKey, i)}
 * decides everything about that position, through three uniforms derived from it:
 * <ul>
 *   <li>choice: position {@code i} (or, with whole-word masking, the word starting at {@code i}) is chosen when
 *       {@code u_i < maskProb}; only maskable tokens (id &gt;= 5: not {@code [PAD] [UNK] [CLS] [SEP] [MASK]}) can be;
 *   <li>replacement of a chosen token: {@code [MASK]} when {@code v_i < maskTokenRate}, a random token when
 *       {@code v_i < maskTokenRate + randomTokenRate}, else unchanged;
 *   <li>the random token: uniform over the non-special ids {@code 5 .. vocabSize - 1} (it may equal the original, as in
 *       BERT).
 * </ul>
 * A word is a maskable piece and the continuation pieces ({@code ##...}) that follow it; a continuation piece right
 * after a special token starts a word of its own. The expected fraction of chosen tokens is {@code maskProb} in both
 * modes (a token is chosen exactly when its word is).
 *
 * <p><b>At least one target per record.</b> A record with maskable tokens of which none was chosen gets the one (word)
 * with the smallest {@code u_i}: a sequence without targets would cost compute and teach nothing, and short records are
 * common (a WordNet gloss has about 12 tokens, so {@code 0.85^12} = 14% of them would otherwise have none). This adds
 * {@code 0.85^n / n} to the rate of an {@code n}-token record (below 1e-9 at 128 tokens). It is the only part that
 * depends on more than one position, and still only on the record itself.
 *
 * <p>Immutable, serializable (for Spark closures), thread-safe.
 */
public final class DynamicMasking implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long REPLACE_SALT = 0x632BE59BD9B4E019L;
  private static final long RANDOM_SALT = 0x8CB92BA72F3D8DD7L;

  private final MaskingConfig config;
  private final long seed;
  private final int vocabSize;
  private final BitSet continuation;

  /**
   * @param seed the run's seed
   * @param vocabSize tokens in the vocabulary, more than the 5 special ones
   * @param continuation which ids are continuation pieces ({@link Vocabulary#continuationFlags()})
   */
  public DynamicMasking(MaskingConfig config, long seed, int vocabSize, BitSet continuation) {
    if (vocabSize <= TokenBatch.SPECIAL_TOKENS) {
      throw new IllegalArgumentException("vocabulary size " + vocabSize + " leaves no token to mask; allowed: more than "
          + TokenBatch.SPECIAL_TOKENS + " (the special tokens)");
    }
    this.config = config;
    this.seed = seed;
    this.vocabSize = vocabSize;
    this.continuation = (BitSet) continuation.clone();
  }

  public static DynamicMasking of(MaskingConfig config, long seed, Vocabulary vocab) {
    return new DynamicMasking(config, seed, vocab.size(), vocab.continuationFlags());
  }

  public MaskingConfig config() {
    return config;
  }

  /**
   * One masked record.
   *
   * @param input the ids the model sees
   * @param positions the chosen positions, increasing
   * @param labels the original ids there
   */
  public record Masked(int[] input, int[] positions, int[] labels) {}

  /** Masks {@code tokens} (a whole record: {@code [CLS] ... [SEP]}) for {@code epoch}; {@code tokens} is not modified. */
  public Masked mask(int[] tokens, int epoch, long recordKey) {
    int[] input = new int[tokens.length];
    IntList positions = new IntList();
    IntList labels = new IntList();
    maskInto(tokens, tokens.length, epoch, recordKey, input, 0, positions, labels);
    return new Masked(input, positions.toArray(), labels.toArray());
  }

  /**
   * Writes the masked {@code tokens[0..length)} to {@code out[offset..offset + length)} and appends each target's
   * flat position {@code offset + i} and original id.
   */
  void maskInto(int[] tokens, int length, int epoch, long recordKey, int[] out, int offset, IntList positions, IntList labels) {
    long stream = ViewSeeds.recordStream(seed, epoch, recordKey);
    boolean[] chosen = new boolean[length];
    boolean any = false;
    int fallback = -1;
    int fallbackEnd = -1;
    long fallbackBits = Long.MAX_VALUE;
    for (int i = 0; i < length; ) {
      if (tokens[i] < TokenBatch.SPECIAL_TOKENS) {
        i++;
        continue;
      }
      int end = i + 1;
      if (config.wholeWord()) {
        while (end < length && tokens[end] >= TokenBatch.SPECIAL_TOKENS && continuation.get(tokens[end])) {
          end++;
        }
      }
      long bits = ViewSeeds.mix(stream, i) >>> 11;
      if (unit(bits) < config.maskProb()) {
        Arrays.fill(chosen, i, end, true);
        any = true;
      } else if (bits < fallbackBits) {
        fallbackBits = bits;
        fallback = i;
        fallbackEnd = end;
      }
      i = end;
    }
    if (!any && fallback >= 0) {
      Arrays.fill(chosen, fallback, fallbackEnd, true);
    }
    double maskBelow = config.maskTokenRate();
    double randomBelow = config.maskTokenRate() + config.randomTokenRate();
    int randomRange = vocabSize - TokenBatch.SPECIAL_TOKENS;
    for (int i = 0; i < length; i++) {
      int token = tokens[i];
      if (!chosen[i]) {
        out[offset + i] = token;
        continue;
      }
      long h = ViewSeeds.mix(stream, i);
      double v = unit(ViewSeeds.mix64(h + REPLACE_SALT) >>> 11);
      if (v < maskBelow) {
        out[offset + i] = TokenBatch.MASK_ID;
      } else if (v < randomBelow) {
        double w = unit(ViewSeeds.mix64(h + RANDOM_SALT) >>> 11);
        out[offset + i] = TokenBatch.SPECIAL_TOKENS + (int) (w * randomRange);
      } else {
        out[offset + i] = token;
      }
      positions.add(offset + i);
      labels.add(token);
    }
  }

  /** A uniform in [0, 1) from 53 random bits. */
  private static double unit(long bits53) {
    return bits53 * 0x1.0p-53;
  }
}

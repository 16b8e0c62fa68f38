package io.pretext.data.text.masking;

import io.pretext.data.text.tokenizer.IntList;
import io.pretext.model.batch.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects token sequences (one per record, {@code [CLS] ... [SEP]} as stored in a text dataset) with their record keys
 * and builds a {@link TokenBatch} padded to the longest sequence in the batch: masked for pretraining, or unmasked for
 * inference. Each row is masked independently of the others ({@link DynamicMasking}), so a record's masks do not depend
 * on which batch or partition it lands in. Not thread-safe; meant to be filled inside a Spark {@code mapPartitions}.
 */
public final class TokenBatchBuilder {
  private final List<int[]> sequences = new ArrayList<>();
  private long[] keys = new long[16];

  /**
   * Adds a record.
   *
   * @param tokens its ids, at least one (not copied: do not modify until the batch is built)
   * @param recordKey its stable key ({@code TextRecords.recordKey})
   */
  public TokenBatchBuilder add(int[] tokens, long recordKey) {
    if (tokens == null || tokens.length == 0) {
      throw new IllegalArgumentException("a sequence needs at least one token, got " + (tokens == null ? "null" : "none"));
    }
    if (sequences.size() == keys.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    keys[sequences.size()] = recordKey;
    sequences.add(tokens);
    return this;
  }

  public int size() {
    return sequences.size();
  }

  public void clear() {
    sequences.clear();
  }

  /** The batch with {@code masking} applied for {@code epoch}. */
  public TokenBatch masked(DynamicMasking masking, int epoch) {
    int n = requireRecords();
    int t = longest();
    int[] tokens = new int[n * t]; // zeros: TokenBatch.PAD_ID after each sequence
    int[] lengths = new int[n];
    IntList positions = new IntList(n * t / 6 + 4);
    IntList labels = new IntList(n * t / 6 + 4);
    for (int r = 0; r < n; r++) {
      int[] s = sequences.get(r);
      lengths[r] = s.length;
      masking.maskInto(s, s.length, epoch, keys[r], tokens, r * t, positions, labels);
    }
    return new TokenBatch(n, t, tokens, lengths, positions.toArray(), labels.toArray());
  }

  /** The batch as stored, without targets (embedding, evaluation). */
  public TokenBatch unmasked() {
    int n = requireRecords();
    int t = longest();
    int[] tokens = new int[n * t];
    int[] lengths = new int[n];
    for (int r = 0; r < n; r++) {
      int[] s = sequences.get(r);
      System.arraycopy(s, 0, tokens, r * t, s.length);
      lengths[r] = s.length;
    }
    return TokenBatch.unmasked(n, t, tokens, lengths);
  }

  private int requireRecords() {
    if (sequences.isEmpty()) {
      throw new IllegalStateException("no records added: a batch needs at least one");
    }
    return sequences.size();
  }

  private int longest() {
    int t = 0;
    for (int[] s : sequences) {
      t = Math.max(t, s.length);
    }
    return t;
  }
}

package io.pretext.data.text;

import io.pretext.data.dataset.TextRecords;
import io.pretext.model.batch.TokenBatch;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * Documents' pieces to the token sequences stored in a text dataset, at most {@code seqLen} tokens each.
 *
 * <ul>
 *   <li><b>Windows.</b> A document of {@code L} pieces gets {@code [CLS] pieces [SEP]} when {@code L <= seqLen - 2};
 *       a longer one is cut into consecutive windows of at most {@code seqLen - 2} pieces, each {@code [CLS] ... [SEP]},
 *       never overlapping and never dropping a piece. A cut that would fall inside a word moves back to the word's
 *       first piece (so whole-word masking sees whole words), unless the word alone fills the window.
 *   <li><b>Packing</b> ({@code --pack}, RoBERTa's FULL-SENTENCES, Liu et al. 2019, section 4.2): short documents, in id
 *       order, share a sequence {@code [CLS] d1 [SEP] d2 [SEP] ...} while it has room; a document that needs windows is
 *       never packed, and the open sequence is closed before it so records stay in id order.
 * </ul>
 */
public final class TextSequences {
  private TextSequences() {}

  /** The windows of one document's pieces, each with {@code [CLS]} first and {@code [SEP]} last. */
  public static List<int[]> windows(int[] pieces, int seqLen, BitSet continuation) {
    int room = seqLen - 2;
    List<int[]> out = new ArrayList<>();
    int start = 0;
    do {
      int end = Math.min(start + room, pieces.length);
      if (end < pieces.length) {
        int cut = end;
        while (cut > start && continuation.get(pieces[cut])) {
          cut--;
        }
        if (cut > start) {
          end = cut;
        }
      }
      int[] w = new int[end - start + 2];
      w[0] = TokenBatch.CLS_ID;
      System.arraycopy(pieces, start, w, 1, end - start);
      w[w.length - 1] = TokenBatch.SEP_ID;
      out.add(w);
      start = end;
    } while (start < pieces.length);
    return out;
  }

  /**
   * Turns documents, given in id order, into {@link TextRecords} rows in (id, window) order. Not thread-safe: one per
   * partition.
   */
  public static final class Assembler {
    private final int seqLen;
    private final boolean pack;
    private final BitSet continuation;
    private final Consumer<Row> out;
    private final List<int[]> packed = new ArrayList<>();
    private int packedLength;
    private String packId;
    private String packSource;

    public Assembler(int seqLen, boolean pack, BitSet continuation, Consumer<Row> out) {
      this.seqLen = seqLen;
      this.pack = pack;
      this.continuation = continuation;
      this.out = out;
    }

    /** Adds a document (at least one piece). */
    public void add(String id, String source, Integer label, int[] pieces) {
      if (pack && pieces.length <= seqLen - 2) {
        if (!packed.isEmpty() && packedLength + pieces.length + 1 > seqLen) {
          flush();
        }
        if (packed.isEmpty()) {
          packId = id;
          packSource = source;
          packedLength = 1;
        }
        packed.add(pieces);
        packedLength += pieces.length + 1;
        return;
      }
      flush();
      List<int[]> windows = windows(pieces, seqLen, continuation);
      for (int w = 0; w < windows.size(); w++) {
        out.accept(TextRecords.toRow(id, source, label, w, windows.size(), 1, windows.get(w)));
      }
    }

    /** Emits the open packed sequence, if any. Call after the last document. */
    public void flush() {
      if (packed.isEmpty()) {
        return;
      }
      int[] seq = new int[packedLength];
      seq[0] = TokenBatch.CLS_ID;
      int at = 1;
      for (int[] p : packed) {
        System.arraycopy(p, 0, seq, at, p.length);
        at += p.length;
        seq[at++] = TokenBatch.SEP_ID;
      }
      out.accept(TextRecords.toRow(packId, packSource, null, 0, 1, packed.size(), seq));
      packed.clear();
      packedLength = 0;
    }
  }
}

package io.pretext.jobs.eval;

import io.pretext.model.batch.TokenBatch;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.method.MaskedTokenMethod;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A frozen text encoder evaluated in the executors: the method's whole graph is broadcast ({@link BroadcastGraph}) with
 * the method itself, and every window's representation is the method's own {@link MaskedTokenMethod#represent} (for
 * {@code mlm}: the mean of the final hidden states over the window's real tokens, padding excluded), so evaluation,
 * {@code embed} and training read the same vector.
 *
 * <p>Windows are encoded in batches of {@code batchSize}, sorted by length first so that a batch is padded only to its
 * own longest window (padding changes no output at a real position, but costs compute).
 */
public final class TextEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final BroadcastGraph network;
  private final Output output;
  private final int dimension;
  private final int maxLength;
  private final int batchSize;

  /** What the encoder computes per window from the rebuilt graph: a representation, or class scores. */
  @FunctionalInterface
  public interface Output extends Serializable {
    /** {@code [B, D]} for the batch's windows, in inference mode. */
    INDArray of(ComputationGraph graph, TokenBatch batch);
  }

  private TextEncoder(String kind, BroadcastGraph network, Output output, int dimension, int maxLength, int batchSize) {
    this.kind = kind;
    this.network = network;
    this.output = output;
    this.dimension = dimension;
    this.maxLength = maxLength;
    this.batchSize = batchSize;
  }

  /**
   * Broadcasts {@code graph}, built by {@code method}.
   *
   * @param kind {@code trained} or {@code random}
   * @param dimension the representation width H
   * @param maxLength the longest window the network takes (its position table)
   * @param batchSize windows per forward pass, &gt;= 1
   */
  public static TextEncoder broadcast(JavaSparkContext sc, String kind, ComputationGraph graph, MaskedTokenMethod method, int dimension,
      int maxLength, int batchSize) {
    return broadcast(sc, kind, graph, method::represent, dimension, maxLength, batchSize);
  }

  /**
   * Broadcasts {@code graph}, computing {@code output} per window (a fine-tuned classifier's scores, of width
   * {@code dimension}).
   */
  public static TextEncoder broadcast(JavaSparkContext sc, String kind, ComputationGraph graph, Output output, int dimension,
      int maxLength, int batchSize) {
    OptionCheck.require(batchSize >= 1, "--batch-size", batchSize, "an integer >= 1");
    return new TextEncoder(kind, BroadcastGraph.of(sc, graph), output, dimension, maxLength, batchSize);
  }

  /** {@code trained} or {@code random}. */
  public String kind() {
    return kind;
  }

  /** Representation width H. */
  public int dimension() {
    return dimension;
  }

  /** The longest window the network takes. */
  public int maxLength() {
    return maxLength;
  }

  /** A per-task encoder: windows (token ids, specials included) to {@code [B][H]}, in the given order. */
  public Open open() {
    ComputationGraph graph = network.rebuild();
    return windows -> {
      float[][] out = new float[windows.size()][];
      Integer[] order = new Integer[windows.size()];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.comparingInt(i -> windows.get(i).length));
      for (int start = 0; start < order.length; start += batchSize) {
        int b = Math.min(batchSize, order.length - start);
        int t = windows.get(order[start + b - 1]).length;
        int[] tokens = new int[b * t];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
          int[] w = windows.get(order[start + i]);
          System.arraycopy(w, 0, tokens, i * t, w.length);
          lengths[i] = w.length;
        }
        float[][] reps = output.of(graph, TokenBatch.unmasked(b, t, tokens, lengths)).castTo(DataType.FLOAT).toFloatMatrix();
        for (int i = 0; i < b; i++) {
          out[order[start + i]] = reps[i];
        }
      }
      return out;
    };
  }

  /** Releases the broadcast network; call when the features are computed. */
  public void release() {
    network.release();
  }

  /** An encoder ready in one executor task; not thread-safe. */
  public interface Open {
    /** Representations of {@code windows}, each 1..{@link #maxLength()} ids: {@code [B][H]}. */
    float[][] encode(List<int[]> windows);
  }
}

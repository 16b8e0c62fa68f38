package io.pretext.model.method;

import io.pretext.model.batch.TokenBatch;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tensors a text method's graph reads from a {@link TokenBatch}, in one place for every text method (masked-LM,
 * text fine-tuning): the token ids, the padding mask and an integer column, all FLOAT.
 */
public final class TokenTensors {
  private TokenTensors() {}

  /** The token ids {@code [N, T]}, {@link TokenBatch#PAD_ID} after each sequence's real tokens. */
  public static INDArray ids(TokenBatch batch) {
    float[] ids = new float[batch.tokens().length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = batch.tokens()[i];
    }
    return Nd4j.create(ids, new long[] {batch.size(), batch.paddedLength()}, 'c');
  }

  /** The padding mask {@code [N, T]}: 1 on each sequence's first {@code lengths[i]} positions, 0 after. */
  public static INDArray mask(TokenBatch batch) {
    int t = batch.paddedLength();
    float[] mask = new float[batch.size() * t];
    for (int i = 0; i < batch.size(); i++) {
      Arrays.fill(mask, i * t, i * t + batch.lengths()[i], 1f);
    }
    return Nd4j.create(mask, new long[] {batch.size(), t}, 'c');
  }

  /** {@code values} as a column {@code [M, 1]}. */
  public static INDArray column(int[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = values[i];
    }
    return Nd4j.create(f, new long[] {f.length, 1}, 'c');
  }
}

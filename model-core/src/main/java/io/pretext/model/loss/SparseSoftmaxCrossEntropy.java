package io.pretext.model.loss;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;

/**
 * Softmax cross-entropy with integer class labels, computed from logits with log-sum-exp: the masked-LM loss of BERT
 * (Devlin et al. 2019) over the masked positions, as a DL4J {@link ILossFunction}.
 *
 * <p><b>Input.</b> {@code preOutput} {@code [M, V]} logits (one row per prediction, e.g. per masked token; the
 * activation must be identity: the softmax is inside the loss, which keeps it exact where a separate softmax would
 * underflow); {@code labels} {@code [M, 1]} class ids (integral values in {@code [0, V)}); optional {@code mask}
 * {@code [M, 1]} of 0/1 row weights.
 *
 * <p><b>Loss.</b> {@code l_m = logsumexp_v(z_mv) - z_{m, y_m}}; {@link #computeScore} with {@code average = false}
 * returns {@code sum_m mask_m l_m}, with {@code average = true} that sum over {@code M}. Gradient of the sum:
 * {@code mask_m (softmax(z_m) - onehot(y_m))}. In a DL4J {@code LossLayer} with labels of {@code M} rows, the score is
 * the mean over the predictions and the updater divides the gradient by {@code M}: the mean cross-entropy over the
 * masked tokens, as HuggingFace's {@code BertForMaskedLM} computes it.
 *
 * <p>Unlike DL4J's {@code LossSparseMCXENT}, no one-hot {@code [M, V]} label array is built and no probability is
 * clipped.
 */
public final class SparseSoftmaxCrossEntropy implements ILossFunction {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public SparseSoftmaxCrossEntropy() {
  }

  /** The loss's per-row values and softmax. */
  private record Forward(INDArray perRow, INDArray softmax, int[] labels) {
  }

  private static Forward forward(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Objects.requireNonNull(preOutput, "cross-entropy: preOutput is null");
    if (!(activationFn instanceof ActivationIdentity)) {
      throw new IllegalArgumentException("cross-entropy: the activation must be identity (the softmax is inside the loss), got "
          + activationFn);
    }
    if (preOutput.rank() != 2) {
      throw new IllegalArgumentException("cross-entropy: logits must be [M, V], got " + Arrays.toString(preOutput.shape()));
    }
    int[] y = labels(labels, preOutput.size(0), preOutput.size(1));
    INDArray max = preOutput.max(true, 1);                                            // [M, 1]
    INDArray softmax = preOutput.subColumnVector(max);
    Transforms.exp(softmax, false);
    INDArray sum = softmax.sum(true, 1);
    softmax.diviColumnVector(sum);
    INDArray lse = Transforms.log(sum, false).addi(max);                              // [M, 1]
    double[] perRow = lse.dup('c').data().asDouble();
    for (int m = 0; m < y.length; m++) {
      perRow[m] -= preOutput.getDouble(m, y[m]);
    }
    INDArray out = Nd4j.createFromArray(perRow).reshape(y.length, 1).castTo(preOutput.dataType());
    if (mask != null) {
      checkMask(mask, y.length);
      out.muli(mask.reshape(y.length, 1).castTo(preOutput.dataType()));
    }
    return new Forward(out, softmax, y);
  }

  private static INDArray gradient(Forward f, INDArray mask) {
    INDArray g = f.softmax;
    for (int m = 0; m < f.labels.length; m++) {
      g.putScalar(m, f.labels[m], g.getDouble(m, f.labels[m]) - 1.0);
    }
    if (mask != null) {
      g.muliColumnVector(mask.reshape(f.labels.length, 1).castTo(g.dataType()));
    }
    return g;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    INDArray perRow = forward(labels, preOutput, activationFn, mask).perRow;
    double sum = perRow.sumNumber().doubleValue();
    return average ? sum / perRow.size(0) : sum;
  }

  /** Per-row losses {@code [M, 1]}. */
  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return forward(labels, preOutput, activationFn, mask).perRow;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return gradient(forward(labels, preOutput, activationFn, mask), mask);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    Forward f = forward(labels, preOutput, activationFn, mask);
    double sum = f.perRow.sumNumber().doubleValue();
    return new Pair<>(average ? sum / f.perRow.size(0) : sum, gradient(f, mask));
  }

  /**
   * The labels as ints.
   *
   * @throws IllegalArgumentException if the shape is not {@code [rows, 1]} or a value is not a class id
   */
  static int[] labels(INDArray labels, long rows, long classes) {
    if (labels == null || labels.length() != rows || labels.rank() > 2 || labels.rank() == 2 && labels.size(1) != 1) {
      throw new IllegalArgumentException("cross-entropy: labels must be [" + rows + ", 1] class ids, got "
          + (labels == null ? "null" : Arrays.toString(labels.shape())));
    }
    double[] v = labels.dup('c').data().asDouble();
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0 && v[i] < classes) || v[i] != Math.rint(v[i])) {
        throw new IllegalArgumentException("cross-entropy: label " + v[i] + " (row " + i + ") is not a class id in [0, " + classes + ")");
      }
      out[i] = (int) v[i];
    }
    return out;
  }

  private static void checkMask(INDArray mask, int rows) {
    if (mask.length() != rows) {
      throw new IllegalArgumentException("cross-entropy: mask must have one entry per row (" + rows + "), got "
          + Arrays.toString(mask.shape()));
    }
  }

  @Override
  public String name() {
    return toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparseSoftmaxCrossEntropy;
  }

  @Override
  public int hashCode() {
    return SparseSoftmaxCrossEntropy.class.hashCode();
  }

  @Override
  public String toString() {
    return "SparseSoftmaxCrossEntropy()";
  }
}

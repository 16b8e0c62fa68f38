package io.pretext.model.method.distillation;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * BYOL's regression loss (Grill et al. 2020, "Bootstrap Your Own Latent", Eq. 2), symmetrised over the two views.
 *
 * <p>Input {@code preOutput [2N, 2D]}: columns {@code 0..D-1} hold the online network's predictions {@code q_r},
 * columns {@code D..2D-1} the target network's projections {@code z_r}, for the {@code 2N} views grouped by view (rows
 * {@code 0..N-1} first views, {@code N..2N-1} second views). Each prediction is compared with the target projection of
 * the other view of the same image, {@code p(r) = r + N} for {@code r < N}, else {@code r - N}:
 *
 * <pre>
 *   l_r = 2 - 2 &lt;q_r / ||q_r||, z_p(r) / ||z_p(r)||&gt;        in [0, 4]
 *   score = sum_r l_r   (divided by 2N when averaged: the mean of the paper's two symmetric terms)
 * </pre>
 *
 * <p>Gradient: with respect to the predictions only, {@code dl_r/dq_r = -2 (z^_p(r) - c_r q^_r) / ||q_r||} with
 * {@code c_r} the cosine; the target half gets zero, the stop-gradient of the paper (the target is updated by an
 * exponential moving average, not by this loss). Norms are clamped below at {@code normEps}. Labels are placeholders
 * {@code [2N, 1]} (values ignored); masks are not supported.
 */
public final class ByolLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;

  /** Default lower bound on the norms used for the normalisation. */
  public static final double DEFAULT_NORM_EPS = 1e-8;

  private final double normEps;

  public ByolLoss() {
    this(DEFAULT_NORM_EPS);
  }

  /** @param normEps lower bound on {@code ||q||} and {@code ||z||}, finite and &gt; 0 */
  @JsonCreator
  public ByolLoss(@JsonProperty("normEps") double normEps) {
    if (!(normEps > 0) || Double.isInfinite(normEps)) {
      throw new IllegalArgumentException("ByolLoss normEps = " + normEps + " is invalid: must be finite and > 0; the default is "
          + DEFAULT_NORM_EPS);
    }
    this.normEps = normEps;
  }

  public double getNormEps() {
    return normEps;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    Forward f = forward(labels, preOutput, activationFn, mask);
    double sum = f.perRow.sumNumber().doubleValue();
    return average ? sum / f.rows : sum;
  }

  /** Per-row losses {@code l_r}, shape {@code [2N, 1]}. */
  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return forward(labels, preOutput, activationFn, mask).perRow;
  }

  /** Gradient of {@code sum_r l_r} with respect to {@code preOutput}, {@code [2N, 2D]}: zero in the target half. */
  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return gradient(forward(labels, preOutput, activationFn, mask), preOutput, activationFn);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    Forward f = forward(labels, preOutput, activationFn, mask);
    double sum = f.perRow.sumNumber().doubleValue();
    return new Pair<>(average ? sum / f.rows : sum, gradient(f, preOutput, activationFn));
  }

  @Override
  public String name() {
    return toString();
  }

  /** Intermediate values of one forward pass, in preOutput's data type. */
  private record Forward(long rows, long dim, INDArray qHat, INDArray qNorms, INDArray qClamped, INDArray zSwapHat,
      INDArray cosine, INDArray perRow) {
  }

  private Forward forward(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    validate(labels, preOutput, mask);
    long m = preOutput.size(0);
    long n = m / 2;
    long d = preOutput.size(1) / 2;
    INDArray out = activationFn.getActivation(preOutput.dup(), true);                      // [2N, 2D]
    INDArray q = out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup();           // [2N, D]
    INDArray z = out.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d)).dup();       // [2N, D]
    // The other view's target: rows N..2N-1 first, then 0..N-1.
    INDArray zSwap = Nd4j.create(preOutput.dataType(), m, d);                                // [2N, D]
    zSwap.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(z.get(NDArrayIndex.interval(n, m), NDArrayIndex.all()));
    zSwap.get(NDArrayIndex.interval(n, m), NDArrayIndex.all()).assign(z.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
    INDArray qNorms = q.norm2(true, 1);                                                      // [2N, 1]
    INDArray qClamped = Transforms.max(qNorms, normEps, true);
    INDArray qHat = q.divColumnVector(qClamped);
    INDArray zHat = zSwap.divColumnVector(Transforms.max(zSwap.norm2(true, 1), normEps, true));
    INDArray cosine = qHat.mul(zHat).sum(true, 1);                                           // [2N, 1]
    INDArray perRow = cosine.mul(-2.0).addi(2.0);                                            // [2N, 1]
    return new Forward(m, d, qHat, qNorms, qClamped, zHat, cosine, perRow);
  }

  private INDArray gradient(Forward f, INDArray preOutput, IActivation activationFn) {
    INDArray active = f.qNorms.gt(normEps).castTo(preOutput.dataType());                   // 1 where ||q|| > eps
    // d(-2 c)/dq = -2 (z^ - c q^) / ||q||; below eps the norm is a constant and the radial term vanishes.
    INDArray radial = f.qHat.mulColumnVector(f.cosine.mul(active));
    INDArray gQ = f.zSwapHat.sub(radial).diviColumnVector(f.qClamped).muli(-2.0);          // [2N, D]
    INDArray g = Nd4j.zeros(preOutput.dataType(), f.rows, 2 * f.dim);                       // [2N, 2D], target half 0
    g.get(NDArrayIndex.all(), NDArrayIndex.interval(0, f.dim)).assign(gQ);
    return activationFn.backprop(preOutput.dup(), g).getFirst();
  }

  private static void validate(INDArray labels, INDArray preOutput, INDArray mask) {
    Objects.requireNonNull(preOutput, "BYOL loss: preOutput is null");
    if (preOutput.rank() != 2 || preOutput.size(0) < 2 || preOutput.size(0) % 2 != 0 || preOutput.size(1) < 2
        || preOutput.size(1) % 2 != 0) {
      throw new IllegalArgumentException("BYOL loss: preOutput shape " + Arrays.toString(preOutput.shape())
          + " is invalid: must be [2N, 2D] with N, D >= 1 (predictions then target projections, first views then second)");
    }
    if (labels == null || labels.rank() != 2 || labels.size(0) != preOutput.size(0)) {
      throw new IllegalArgumentException("BYOL loss: labels shape " + (labels == null ? "null" : Arrays.toString(labels.shape()))
          + " is invalid: must be rank 2 with " + preOutput.size(0) + " rows (values are ignored)");
    }
    if (mask != null) {
      throw new UnsupportedOperationException("BYOL loss does not support mask arrays (got shape " + Arrays.toString(mask.shape()) + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByolLoss other && Double.compare(other.normEps, normEps) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(normEps);
  }

  @Override
  public String toString() {
    return "ByolLoss(normEps=" + normEps + ")";
  }
}

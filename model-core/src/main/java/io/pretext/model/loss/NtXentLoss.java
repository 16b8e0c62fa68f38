package io.pretext.model.loss;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020, "A Simple Framework for
 * Contrastive Learning of Visual Representations", eq. 1), as a DL4J {@link ILossFunction}.
 *
 * <p><b>Input.</b> {@code preOutput} is {@code [2N, D]}: rows {@code 0..N-1} are the first view of N images, rows
 * {@code N..2N-1} the second view of the same images in the same order, so row {@code i} and row
 * {@code p(i) = (i + N) mod 2N} are a positive pair. The activation function is applied first (use identity).
 *
 * <p><b>Loss.</b> With {@code u_i = z_i / max(||z_i||, normEps)} (L2 normalisation inside the loss),
 * {@code s_ik = u_i . u_k / T}:
 * <pre>
 *   l_i = -s_{i,p(i)} + log sum_{k != i} exp(s_ik)          (per anchor, computed with log-sum-exp)
 *   L   = (1 / 2N) sum_i l_i                                 (mean over the 2N anchors)
 * </pre>
 * When all 2N embeddings are equal, {@code L = ln(2N - 1)} for every T. With N = 1 the sum holds only the positive,
 * so {@code L = 0} identically.
 *
 * <p><b>DL4J contract.</b> Like DL4J's own losses, {@link #computeScore} with {@code average = false} returns the
 * sum over anchors and {@link #computeGradient} returns the gradient of that sum, {@code [2N, D]}; DL4J's
 * {@code LossLayer} divides the score by the minibatch size and the updater divides the gradient by
 * {@code labels.size(0)}. Hence the <b>labels</b>, which the loss otherwise ignores, must be a rank-2 array with
 * exactly {@code 2N} rows ({@link #labelsFor(long, DataType)} makes a {@code [2N, 1]} zero array). Masks are not
 * supported (there is no meaningful per-row mask for a loss that couples all rows).
 *
 * <p>The analytic gradient, with {@code P_ik = softmax_{k != i}(s_ik)} ({@code P_ii = 0}) and {@code Y} the
 * positive-pair indicator: {@code G = P - Y}, {@code dL/dU = (G + G^T) U / T}, then through the normalisation
 * {@code dL/dz_i = (g_i - u_i (u_i . g_i)) / ||z_i||} if {@code ||z_i|| > normEps}, else {@code g_i / normEps}.
 */
public final class NtXentLoss implements ILossFunction {

  private static final long serialVersionUID = 1L;

  /** Default lower bound on the norm used for L2 normalisation. */
  public static final double DEFAULT_NORM_EPS = 1e-8;

  private final double temperature;
  private final double normEps;

  /** NT-Xent with the given temperature and {@link #DEFAULT_NORM_EPS}. */
  public NtXentLoss(double temperature) {
    this(temperature, DEFAULT_NORM_EPS);
  }

  /**
   * @param temperature T, finite and &gt; 0
   * @param normEps     lower bound on {@code ||z_i||} in the normalisation, finite and &gt; 0
   */
  @JsonCreator
  public NtXentLoss(@JsonProperty("temperature") double temperature, @JsonProperty("normEps") double normEps) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("NtXentLoss temperature = " + temperature
          + " is invalid: must be finite and > 0; typical values are 0.1-1.0");
    }
    if (!(normEps > 0) || Double.isInfinite(normEps)) {
      throw new IllegalArgumentException("NtXentLoss normEps = " + normEps
          + " is invalid: must be finite and > 0; the default is " + DEFAULT_NORM_EPS);
    }
    this.temperature = temperature;
    this.normEps = normEps;
  }

  /**
   * Placeholder labels for a minibatch of {@code rows = 2N} embeddings: zeros {@code [rows, 1]}. The loss ignores
   * their values; DL4J needs them to exist and takes the minibatch size from their first dimension.
   */
  public static INDArray labelsFor(long rows, DataType dataType) {
    if (rows < 2 || rows % 2 != 0) {
      throw new IllegalArgumentException("NT-Xent labels: rows = " + rows
          + " is invalid: must be 2N with N >= 1 (two views per image)");
    }
    return Nd4j.zeros(dataType, rows, 1);
  }

  public double getTemperature() {
    return temperature;
  }

  public double getNormEps() {
    return normEps;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                 boolean average) {
    Forward f = forward(labels, preOutput, activationFn, mask);
    double sum = f.perAnchor.sumNumber().doubleValue();
    return average ? sum / f.rows : sum;
  }

  /** Per-anchor losses {@code l_i}, shape {@code [2N, 1]}. */
  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return forward(labels, preOutput, activationFn, mask).perAnchor;
  }

  /** Gradient of the summed loss {@code sum_i l_i} with respect to {@code preOutput}, shape {@code [2N, D]}. */
  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return gradient(forward(labels, preOutput, activationFn, mask), preOutput, activationFn);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                              IActivation activationFn, INDArray mask, boolean average) {
    Forward f = forward(labels, preOutput, activationFn, mask);
    double sum = f.perAnchor.sumNumber().doubleValue();
    return new Pair<>(average ? sum / f.rows : sum, gradient(f, preOutput, activationFn));
  }

  @Override
  public String name() {
    return toString();
  }

  /** Intermediate values of one forward pass; all arrays in preOutput's data type. */
  private record Forward(long rows, INDArray u, INDArray norms, INDArray clampedNorms, INDArray softmax,
               INDArray positives, INDArray perAnchor) {
  }

  private Forward forward(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    validate(labels, preOutput, mask);
    DataType dt = preOutput.dataType();
    long m = preOutput.size(0);
    long n = m / 2;

    INDArray z = activationFn.getActivation(preOutput.dup(), true);          // [2N, D]
    INDArray norms = z.norm2(true, 1);                                        // [2N, 1]
    INDArray clamped = Transforms.max(norms, normEps, true);                  // [2N, 1]
    INDArray u = z.divColumnVector(clamped);                                  // [2N, D], ||u_i|| <= 1
    INDArray logits = u.mmul(u.transpose()).divi(temperature);                // [2N, 2N], in [-1/T, 1/T]

    INDArray eye = Nd4j.eye(m).castTo(dt);                                    // [2N, 2N]
    INDArray offDiag = eye.rsub(1.0);
    // Diagonal set below every possible off-diagonal logit (>= -1/T), so the row max is over k != i.
    INDArray masked = logits.mul(offDiag).subi(eye.mul(1.0 / temperature + 1.0));
    INDArray rowMax = masked.max(true, 1);                                    // [2N, 1]
    INDArray expS = Transforms.exp(masked.subColumnVector(rowMax), false).muli(offDiag); // diag exactly 0
    INDArray sumExp = expS.sum(true, 1);                                      // [2N, 1]
    INDArray lse = Transforms.log(sumExp, true).addi(rowMax);                 // [2N, 1]

    INDArray positives = Nd4j.zeros(dt, m, m);                                // Y: 1 at (i, p(i))
    INDArray eyeN = Nd4j.eye(n).castTo(dt);
    positives.get(NDArrayIndex.interval(0, n), NDArrayIndex.interval(n, m)).assign(eyeN);
    positives.get(NDArrayIndex.interval(n, m), NDArrayIndex.interval(0, n)).assign(eyeN);
    INDArray positiveLogits = logits.mul(positives).sum(true, 1);            // [2N, 1]

    INDArray perAnchor = lse.sub(positiveLogits);                              // [2N, 1]
    INDArray softmax = expS.diviColumnVector(sumExp);                          // [2N, 2N], P_ii = 0
    return new Forward(m, u, norms, clamped, softmax, positives, perAnchor);
  }

  private INDArray gradient(Forward f, INDArray preOutput, IActivation activationFn) {
    INDArray g = f.softmax.sub(f.positives);                                   // dSum/dlogits, [2N, 2N]
    INDArray gU = g.add(g.transpose()).mmul(f.u).divi(temperature);           // [2N, D]
    INDArray active = f.norms.gt(normEps).castTo(preOutput.dataType());        // 1 where ||z|| > eps
    INDArray radial = f.u.mul(gU).sum(true, 1).muli(active);                  // u_i . g_i, [2N, 1]
    INDArray gZ = gU.subi(f.u.mulColumnVector(radial)).diviColumnVector(f.clampedNorms); // [2N, D]
    return activationFn.backprop(preOutput.dup(), gZ).getFirst();
  }

  private static void validate(INDArray labels, INDArray preOutput, INDArray mask) {
    Objects.requireNonNull(preOutput, "NT-Xent: preOutput is null");
    if (preOutput.rank() != 2 || preOutput.size(0) < 2 || preOutput.size(0) % 2 != 0) {
      throw new IllegalArgumentException("NT-Xent: preOutput shape " + java.util.Arrays.toString(preOutput.shape())
          + " is invalid: must be [2N, D] with N >= 1 (rows 0..N-1 first views, N..2N-1 second views)");
    }
    if (labels == null || labels.rank() != 2 || labels.size(0) != preOutput.size(0)) {
      throw new IllegalArgumentException("NT-Xent: labels shape "
          + (labels == null ? "null" : java.util.Arrays.toString(labels.shape()))
          + " is invalid: must be rank 2 with " + preOutput.size(0)
          + " rows (values are ignored); use NtXentLoss.labelsFor(rows, dataType)");
    }
    if (mask != null) {
      throw new UnsupportedOperationException("NT-Xent does not support mask arrays (got shape "
          + java.util.Arrays.toString(mask.shape()) + "); train without label masks");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NtXentLoss other && Double.compare(other.temperature, temperature) == 0
        && Double.compare(other.normEps, normEps) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(temperature, normEps);
  }

  @Override
  public String toString() {
    return "NtXentLoss(temperature=" + temperature + ", normEps=" + normEps + ")";
  }
}

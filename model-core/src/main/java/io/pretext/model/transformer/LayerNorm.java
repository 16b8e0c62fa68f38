package io.pretext.model.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalisation over the last dimension (Ba, Kiros and Hinton 2016), as BERT applies it after each residual
 * sum: for every row {@code x} of {@code [R, H]},
 * <pre>
 *   xHat = (x - mean(x)) / sqrt(var(x) + eps)       (biased variance, over the H features)
 *   y    = gamma * xHat + beta                       (gamma, beta: [1, H])
 * </pre>
 * The backward pass is the standard closed form
 * {@code dx = rstd * (g - mean(g) - xHat * mean(g * xHat))} with {@code g = dy * gamma}.
 */
final class LayerNorm {

  private LayerNorm() {
  }

  /** What the backward pass needs: the normalised rows and their reciprocal standard deviations {@code [R, 1]}. */
  record Cache(INDArray xHat, INDArray rstd) {
  }

  /** The normalised output {@code [R, H]} and its {@link Cache}; {@code x} is not modified. */
  record Result(INDArray out, Cache cache) {
  }

  static Result forward(INDArray x, INDArray gamma, INDArray beta, double eps) {
    INDArray mean = x.mean(true, 1);                                   // [R, 1]
    INDArray xHat = x.subColumnVector(mean);                           // centred
    INDArray var = xHat.mul(xHat).mean(true, 1);                       // [R, 1]
    INDArray rstd = Transforms.pow(var.addi(eps), -0.5, false);
    xHat.muliColumnVector(rstd);
    INDArray out = xHat.mulRowVector(gamma).addiRowVector(beta);
    return new Result(out, new Cache(xHat, rstd));
  }

  /**
   * Gradient with respect to the input; assigns the parameter gradients into {@code dGamma} and {@code dBeta}.
   *
   * @param dOut {@code [R, H]}, not modified
   */
  static INDArray backward(INDArray dOut, Cache cache, INDArray gamma, INDArray dGamma, INDArray dBeta) {
    dBeta.assign(dOut.sum(true, 0));
    dGamma.assign(dOut.mul(cache.xHat()).sum(true, 0));
    INDArray g = dOut.mulRowVector(gamma);                              // dL/dxHat
    INDArray meanG = g.mean(true, 1);
    INDArray meanGx = g.mul(cache.xHat()).mean(true, 1);
    return g.subiColumnVector(meanG).subi(cache.xHat().mulColumnVector(meanGx)).muliColumnVector(cache.rstd());
  }
}

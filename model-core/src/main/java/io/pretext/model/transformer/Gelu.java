package io.pretext.model.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Gaussian error linear unit (Hendrycks and Gimpel 2016) in its exact form, as HuggingFace's BERT computes
 * {@code hidden_act="gelu"}: {@code gelu(x) = x * Phi(x)}, {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}, with derivative
 * {@code Phi(x) + x * phi(x)}, {@code phi(x) = exp(-x^2 / 2) / sqrt(2 pi)}.
 */
final class Gelu {
  private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

  private Gelu() {
  }

  /** {@code gelu(x)} and {@code Phi(x)} (kept for the backward pass). */
  record Result(INDArray out, INDArray cdf) {
  }

  static Result forward(INDArray x) {
    INDArray cdf = x.mul(INV_SQRT2);
    Nd4j.exec(new Erf(cdf, cdf));
    cdf.addi(1.0).muli(0.5);
    return new Result(x.mul(cdf), cdf);
  }

  /** {@code dOut * gelu'(x)}; {@code dOut} is not modified. */
  static INDArray backward(INDArray dOut, INDArray x, INDArray cdf) {
    INDArray pdf = x.mul(x).muli(-0.5);
    Transforms.exp(pdf, false).muli(INV_SQRT_2PI);
    return pdf.muli(x).addi(cdf).muli(dOut);
  }
}

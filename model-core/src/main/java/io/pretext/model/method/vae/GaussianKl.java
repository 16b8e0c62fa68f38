package io.pretext.model.method.vae;

import io.pretext.model.loss.PerRowLoss;
import java.util.Arrays;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;

/**
 * The VAE's KL term (Kingma and Welling 2014, Appendix B): the divergence of the posterior {@code N(mu, exp(lv))} from
 * the standard normal prior, as a DL4J {@link ILossFunction} whose "labels" carry its weight.
 *
 * <p><b>Input.</b> {@code preOutput [N, 2L]}: the mean in columns {@code 0..L-1}, the log-variance in {@code L..2L-1}
 * (identity activation); {@code labels [N, 1]}: each row's weight {@code w} (beta times the warm-up factor, set per
 * step); no mask.
 *
 * <p><b>Loss.</b> {@code l_n = w_n / 2 * sum_j (exp(lv_j) + mu_j^2 - 1 - lv_j)}; gradient {@code dmu = w mu},
 * {@code dlv = w (exp(lv) - 1) / 2}. In a {@code LossLayer} the score is the mean over the minibatch, so together
 * with a reconstruction loss summed over pixels (binary cross-entropy) the graph's score is the negative ELBO per image
 * in nats when {@code w = 1}.
 */
public final class GaussianKl extends PerRowLoss {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public GaussianKl() {
  }

  private static void check(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
    if (!(activation instanceof ActivationIdentity)) {
      throw new IllegalArgumentException("KL term: the activation must be identity, got " + activation);
    }
    if (preOutput.rank() != 2 || preOutput.size(1) % 2 != 0 || labels == null || labels.length() != preOutput.size(0)) {
      throw new IllegalArgumentException("KL term: needs [N, 2L] (mean | log-variance) and weights [N, 1], got "
          + Arrays.toString(preOutput.shape()) + " and " + (labels == null ? "null" : Arrays.toString(labels.shape())));
    }
    if (mask != null) {
      throw new IllegalArgumentException("KL term: takes no mask");
    }
  }

  private static INDArray mean(INDArray preOutput) {
    return preOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, preOutput.size(1) / 2));
  }

  private static INDArray logVariance(INDArray preOutput) {
    long l = preOutput.size(1) / 2;
    return preOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(l, 2 * l));
  }

  private static INDArray weights(INDArray labels, INDArray preOutput) {
    return labels.reshape(preOutput.size(0), 1).castTo(preOutput.dataType());
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    check(labels, preOutput, activationFn, mask);
    INDArray mu = mean(preOutput);
    INDArray lv = logVariance(preOutput);
    INDArray terms = Transforms.exp(lv, true).addi(mu.mul(mu)).subi(1.0).subi(lv);
    return terms.sum(true, 1).muli(0.5).muli(weights(labels, preOutput));
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    check(labels, preOutput, activationFn, mask);
    INDArray w = weights(labels, preOutput);
    INDArray grad = preOutput.ulike();
    mean(grad).assign(mean(preOutput).mulColumnVector(w));
    logVariance(grad).assign(Transforms.exp(logVariance(preOutput), true).subi(1.0).muli(0.5).muliColumnVector(w));
    return grad;
  }
}

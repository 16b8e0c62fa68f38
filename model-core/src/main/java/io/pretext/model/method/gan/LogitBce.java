package io.pretext.model.method.gan;

import io.pretext.model.loss.PerRowLoss;
import java.util.Arrays;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;

/**
 * Binary cross-entropy on a logit, the GAN's loss for both players (Goodfellow et al. 2014; the generator's
 * non-saturating form is the same loss with the target "real"), as a DL4J {@link ILossFunction} computed from the logit
 * so that a confident discriminator neither overflows nor loses its gradient to clipping.
 *
 * <p><b>Input.</b> {@code preOutput [N, 1]}: the logit {@code x} (identity activation); {@code labels [N, 1]}: the target
 * {@code y} in [0, 1] (1 real, 0 generated); no mask.
 *
 * <p><b>Loss.</b> {@code l = -(y log s(x) + (1 - y) log(1 - s(x))) = max(x, 0) - x y + log(1 + exp(-|x|))}, {@code s}
 * the sigmoid; gradient {@code s(x) - y}. In a {@code LossLayer} the score is the mean over the minibatch, as PyTorch's
 * {@code BCEWithLogitsLoss}.
 */
public final class LogitBce extends PerRowLoss {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public LogitBce() {
  }

  private static void check(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
    if (!(activation instanceof ActivationIdentity)) {
      throw new IllegalArgumentException("logit cross-entropy: the activation must be identity (the loss applies the sigmoid), got "
          + activation);
    }
    if (preOutput.rank() != 2 || preOutput.size(1) != 1 || labels == null || labels.length() != preOutput.size(0)) {
      throw new IllegalArgumentException("logit cross-entropy: needs logits [N, 1] and targets [N, 1], got "
          + Arrays.toString(preOutput.shape()) + " and " + (labels == null ? "null" : Arrays.toString(labels.shape())));
    }
    if (mask != null) {
      throw new IllegalArgumentException("logit cross-entropy: takes no mask");
    }
  }

  private static INDArray targets(INDArray labels, INDArray preOutput) {
    return labels.reshape(preOutput.size(0), 1).castTo(preOutput.dataType());
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    check(labels, preOutput, activationFn, mask);
    INDArray x = preOutput;
    INDArray softplus = Transforms.log(Transforms.exp(Transforms.abs(x, true).negi(), false).addi(1.0), false);
    return Transforms.relu(x, true).subi(x.mul(targets(labels, preOutput))).addi(softplus);
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    check(labels, preOutput, activationFn, mask);
    return Transforms.sigmoid(preOutput, true).subi(targets(labels, preOutput));
  }
}

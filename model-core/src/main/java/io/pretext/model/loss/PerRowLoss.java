package io.pretext.model.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What a DL4J loss defined by its per-row scores ({@link #computeScoreArray}) and its gradient ({@link #computeGradient})
 * shares: the score is the sum of the rows, divided by their number when averaged (the mean over the minibatch a
 * {@code LossLayer} reports), and the loss is stateless, so instances of one class are equal. Subclasses: the VAE's KL
 * term, the GAN's logit cross-entropy.
 */
public abstract class PerRowLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    INDArray perRow = computeScoreArray(labels, preOutput, activationFn, mask);
    double sum = perRow.sumNumber().doubleValue();
    return average ? sum / perRow.size(0) : sum;
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
      boolean average) {
    return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
  }

  @Override
  public String name() {
    return toString();
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "()";
  }
}

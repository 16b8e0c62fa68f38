package io.pretext.model.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) over the channels of NCHW activations, optionally followed by a ReLU,
 * as one layer: the configuration of {@link FusedBatchNormLayer}.
 *
 * <p>It is DL4J's {@link BatchNormalization} configuration (same parameters {@code gamma, beta, mean, log10stdev} in
 * the same order, same defaults: decay 0.9, eps 1e-5, log10(std) running estimate, no regularisation and a no-op
 * updater for the running statistics) with a faster implementation and the activation fused in. DL4J 1.0.0-M2.1's
 * batch-norm layer applies no activation, so {@code conv -> BN -> ReLU} took a separate {@code ActivationLayer}, and
 * its oneDNN helper computes the batch statistics with strided ND4J reductions before calling oneDNN: together
 * about a quarter of a {@code small-cnn} training step (docs/performance.md). {@link FusedBatchNormLayer} says how
 * this layer avoids both.
 *
 * <p>Input: {@code [N, C, H, W]} (NCHW), {@code [N, H, W, C]} (NHWC; the format comes from the input type, as for
 * DL4J's layer) or {@code [N, C]}; output of the same shape. Fixed gamma/beta ({@code lockGammaBeta}) is not
 * supported and is refused when the layer is built. Serialises to DL4J's JSON like
 * any layer (class name plus fields), so Spark workers and checkpoints rebuild it from the configuration.
 */
public class FusedBatchNorm extends BatchNormalization {

  private static final long serialVersionUID = 1L;

  /** Whether a ReLU follows the normalisation. */
  private boolean relu = true;

  /**
   * Split batch norm: in training mode the rows are normalised in this many contiguous groups, each with its own batch
   * statistics ({@code 1}, the default, is ordinary batch norm). Forward only: for the frozen momentum encoder of
   * MoCo, which never backpropagates and whose running statistics follow the online network's by EMA; a layer with
   * {@code groups > 1} refuses a backward pass.
   */
  private int groups = 1;

  /**
   * Running statistics in training mode: normalise with the running mean and variance (as in inference, an affine map
   * per channel), leave them unchanged, and still backpropagate, to the input and to gamma and beta. For a network
   * that is not trained in that pass but whose input is (a GAN's discriminator in the generator's step). Off by default.
   */
  private boolean fixedStatistics;

  /** DL4J's batch-norm defaults (decay 0.9, eps 1e-5, log10(std) running estimate) and a ReLU; used by JSON too. */
  public FusedBatchNorm() {
    super();
  }

  /** DL4J's batch-norm defaults, with ({@code relu = true}) or without a ReLU after the normalisation. */
  public FusedBatchNorm(boolean relu) {
    this();
    this.relu = relu;
  }

  /** Batch norm followed by a ReLU. */
  public static FusedBatchNorm withRelu() {
    return new FusedBatchNorm(true);
  }

  /** Batch norm alone (e.g. before a residual addition). */
  public static FusedBatchNorm withoutActivation() {
    return new FusedBatchNorm(false);
  }

  public boolean isRelu() {
    return relu;
  }

  public void setRelu(boolean relu) {
    this.relu = relu;
  }

  public int getGroups() {
    return groups;
  }

  /** @param groups row groups with their own statistics in training mode, &gt;= 1 (see {@link #groups}) */
  public void setGroups(int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("FusedBatchNorm groups " + groups + " is invalid: must be >= 1");
    }
    this.groups = groups;
  }

  public boolean isFixedStatistics() {
    return fixedStatistics;
  }

  /** @param fixedStatistics see {@link #fixedStatistics} */
  public void setFixedStatistics(boolean fixedStatistics) {
    this.fixedStatistics = fixedStatistics;
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                           int layerIndex, INDArray layerParamsView, boolean initializeParams,
                           DataType networkDataType) {
    if (getNOut() <= 0) {
      throw new IllegalStateException("FusedBatchNorm layer '" + getLayerName() + "': nOut = " + getNOut()
          + " is invalid: must be >= 1; set the graph's input types so that it is inferred");
    }
    if (isLockGammaBeta()) {
      throw new IllegalStateException("FusedBatchNorm layer '" + getLayerName()
          + "': lockGammaBeta = true is not supported; use DL4J's BatchNormalization for fixed gamma/beta");
    }
    FusedBatchNormLayer layer = new FusedBatchNormLayer(conf, networkDataType);
    layer.setListeners(trainingListeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    ParamInitializer init = initializer();
    Map<String, INDArray> params = init.init(conf, layerParamsView, initializeParams);
    layer.setParamTable(params);
    layer.setConf(conf);
    return layer;
  }

  @Override
  public FusedBatchNorm clone() {
    return (FusedBatchNorm) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedBatchNorm other && other.relu == relu && other.groups == groups && other.fixedStatistics == fixedStatistics
        && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof FusedBatchNorm;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * super.hashCode() + Boolean.hashCode(relu)) + groups) + Boolean.hashCode(fixedStatistics);
  }

  @Override
  public String toString() {
    return "FusedBatchNorm(relu=" + relu + (groups > 1 ? ", groups=" + groups : "")
        + (fixedStatistics ? ", fixedStatistics" : "") + ", " + super.toString() + ")";
  }
}

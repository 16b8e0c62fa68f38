package io.pretext.model.transformer;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime side of {@link MaskedMeanPooling}. */
public final class MaskedMeanPoolingLayer extends TransformerLayerImpl<MaskedMeanPooling> {
  private static final long serialVersionUID = 1L;

  MaskedMeanPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** {@code m[n, t] / sum_t m[n, t]} as {@code [N, T, 1]}. */
  private INDArray weights(long n, long t, INDArray like) {
    SequenceLayout layout = SequenceLayout.of(maskArray, n, t);
    INDArray w = layout.maskLike(like);
    double[] inv = new double[(int) n];
    for (int i = 0; i < n; i++) {
      inv[i] = 1.0 / layout.lengths[i];
    }
    return w.muliColumnVector(Nd4j.createFromArray(inv).castTo(like.dataType()).reshape(n, 1))
        .reshape('c', n, t, 1);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray x = input.castTo(dataType);
    if (x.rank() != 3) {
      throw new IllegalArgumentException("MaskedMeanPooling " + layerConf().getLayerName() + ": input shape "
          + Arrays.toString(x.shape()) + " is invalid, expected [N, T, H]");
    }
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      return x.mul(weights(x.size(0), x.size(1), x)).sum(1);
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    long n = input.size(0);
    long t = input.size(1);
    long h = input.size(2);
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
      INDArray dx = epsilon.reshape(n, 1, h).mul(weights(n, t, epsilon));
      return new Pair<>(new DefaultGradient(), dx);
    }
  }

  /** The output is one vector per sequence: no mask beyond this layer. */
  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
    this.maskArray = maskArray;
    this.maskState = currentMaskState;
    return new Pair<>(null, null);
  }

  @Override
  protected void clearCache() {
  }
}

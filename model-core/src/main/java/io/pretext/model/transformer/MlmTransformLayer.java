package io.pretext.model.transformer;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link MlmTransform}. */
public final class MlmTransformLayer extends TransformerLayerImpl<MlmTransform> {
  private static final long serialVersionUID = 1L;

  private INDArray pre;
  private Gelu.Result gelu;
  private LayerNorm.Cache norm;

  MlmTransformLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray x = input.castTo(dataType);
    if (x.rank() != 2 || x.size(1) != layerConf().hidden()) {
      throw new IllegalArgumentException("MlmTransform " + layerConf().getLayerName() + ": input shape "
          + Arrays.toString(x.shape()) + " is invalid, expected [M, " + layerConf().hidden() + "]");
    }
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      INDArray z = TransformerBlockLayer.dense(x, param(MlmTransform.WEIGHT), param(MlmTransform.BIAS));
      Gelu.Result g = Gelu.forward(z);
      LayerNorm.Result ln = LayerNorm.forward(g.out(), param(MlmTransform.GAMMA), param(MlmTransform.BETA),
          TransformerLayer.LAYER_NORM_EPS);
      if (training) {
        pre = z;
        gelu = g;
        norm = ln.cache();
      }
      return ln.out();
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (norm == null) {
      throw new IllegalStateException("MlmTransform " + layerConf().getLayerName() + ": backprop without a training forward pass");
    }
    INDArray dGelu = LayerNorm.backward(epsilon, norm, param(MlmTransform.GAMMA), grad(MlmTransform.GAMMA), grad(MlmTransform.BETA));
    INDArray dz = Gelu.backward(dGelu, pre, gelu.cdf());
    INDArray dx = TransformerBlockLayer.denseBackward(dz, input.castTo(dataType), param(MlmTransform.WEIGHT),
        grad(MlmTransform.WEIGHT), grad(MlmTransform.BIAS));
    return new Pair<>(gradients(), workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dx));
  }

  @Override
  protected void clearCache() {
    pre = null;
    gelu = null;
    norm = null;
  }
}

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
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link EmbeddingNorm}. */
public final class EmbeddingNormLayer extends TransformerLayerImpl<EmbeddingNorm> {
  private static final long serialVersionUID = 1L;

  private LayerNorm.Cache norm;
  private INDArray dropMask;

  EmbeddingNormLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    EmbeddingNorm c = layerConf();
    INDArray x = input.castTo(dataType);
    if (x.rank() != 3 || x.size(2) != c.hidden()) {
      throw new IllegalArgumentException("EmbeddingNorm " + c.getLayerName() + ": input shape " + Arrays.toString(x.shape())
          + " is invalid, expected [N, T, " + c.hidden() + "]");
    }
    long n = x.size(0);
    long t = x.size(1);
    if (t > c.maxPositions()) {
      throw new IllegalArgumentException("sequence length " + t + " exceeds the model's " + c.maxPositions()
          + " position embeddings; prepare the data with a --seq-len of at most " + c.maxPositions());
    }
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      INDArray positions = param(EmbeddingNorm.POSITIONS).get(NDArrayIndex.interval(0, t), NDArrayIndex.all());
      INDArray sum = x.reshape('c', n, t * c.hidden()).addRowVector(positions.reshape(1, t * c.hidden()))
          .reshape('c', n * t, c.hidden());
      LayerNorm.Result ln = LayerNorm.forward(sum, param(EmbeddingNorm.GAMMA), param(EmbeddingNorm.BETA), TransformerLayer.LAYER_NORM_EPS);
      INDArray mask = training ? InvertedDropout.mask(c.dropout(), dataType, n * t, c.hidden()) : null;
      INDArray out = InvertedDropout.apply(ln.out(), mask);
      if (training) {
        norm = ln.cache();
        dropMask = mask;
      }
      return out.reshape('c', n, t, c.hidden());
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (norm == null) {
      throw new IllegalStateException("EmbeddingNorm " + layerConf().getLayerName() + ": backprop without a training forward pass");
    }
    EmbeddingNorm c = layerConf();
    long n = epsilon.size(0);
    long t = epsilon.size(1);
    INDArray dOut = epsilon.reshape('c', n * t, c.hidden());
    if (dropMask != null) {
      dOut = dOut.mul(dropMask);
    }
    INDArray dSum = LayerNorm.backward(dOut, norm, param(EmbeddingNorm.GAMMA), grad(EmbeddingNorm.GAMMA), grad(EmbeddingNorm.BETA));
    INDArray dPositions = grad(EmbeddingNorm.POSITIONS);
    dPositions.assign(0);
    dPositions.get(NDArrayIndex.interval(0, t), NDArrayIndex.all())
        .assign(dSum.reshape('c', n, t * c.hidden()).sum(0).reshape(t, c.hidden()));
    INDArray dx = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dSum.reshape('c', n, t, c.hidden()));
    return new Pair<>(gradients(), dx);
  }

  @Override
  protected void clearCache() {
    norm = null;
    dropMask = null;
  }
}

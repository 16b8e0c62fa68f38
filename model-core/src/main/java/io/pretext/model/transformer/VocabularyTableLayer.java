package io.pretext.model.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link VocabularyTable}: activation {@code [V, H + 1] = [W | b^T]}, gradient = incoming epsilon. */
public final class VocabularyTableLayer extends TransformerLayerImpl<VocabularyTable> {
  private static final long serialVersionUID = 1L;

  VocabularyTableLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    int v = layerConf().vocabSize();
    int h = layerConf().hidden();
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {v, h + 1}, 'c');
    out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)).assign(param(VocabularyTable.WEIGHT));
    out.get(NDArrayIndex.all(), NDArrayIndex.point(h)).assign(param(VocabularyTable.BIAS).reshape(v));
    return out;
  }

  /** The table's gradient is the summed epsilon of its consumers; the ignored input (token ids) gets none. */
  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    int v = layerConf().vocabSize();
    int h = layerConf().hidden();
    if (epsilon.rank() != 2 || epsilon.size(0) != v || epsilon.size(1) != h + 1) {
      throw new IllegalStateException("VocabularyTable " + layerConf().getLayerName() + ": epsilon shape "
          + java.util.Arrays.toString(epsilon.shape()) + ", expected [" + v + ", " + (h + 1) + "]");
    }
    grad(VocabularyTable.WEIGHT).assign(epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)));
    grad(VocabularyTable.BIAS).assign(epsilon.get(NDArrayIndex.all(), NDArrayIndex.point(h)).reshape(1, v));
    return new Pair<>(gradients(), null);
  }

  @Override
  protected void clearCache() {
  }
}

package io.pretext.model.transformer;

import io.pretext.model.layers.ParameterFreeGraphVertex;
import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link TiedProjection}. */
public final class TiedProjectionVertex extends ParameterFreeGraphVertex {
  private static final long serialVersionUID = 1L;

  TiedProjectionVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, dataType);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = inputs[0];
    INDArray table = inputs[1];
    int h = check(x, table);
    INDArray w = table.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
    INDArray b = table.get(NDArrayIndex.all(), NDArrayIndex.point(h)).reshape(1, table.size(0));
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      return Nd4j.gemm(x, w, false, true).addiRowVector(b);
    }
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = inputs[0];
    INDArray table = inputs[1];
    int h = check(x, table);
    INDArray w = table.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
      INDArray dx = Nd4j.gemm(epsilon, w, false, false);                                // [M, H]
      INDArray dTable = Nd4j.createUninitialized(epsilon.dataType(), table.size(0), h + 1L);
      dTable.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)).assign(Nd4j.gemm(epsilon, x, true, false));
      dTable.get(NDArrayIndex.all(), NDArrayIndex.point(h)).assign(epsilon.sum(0));
      return new Pair<>(null, new INDArray[] {dx, dTable});
    }
  }

  private static int check(INDArray x, INDArray table) {
    if (x.rank() != 2 || table.rank() != 2 || x.size(1) != table.size(1) - 1) {
      throw new IllegalArgumentException("TiedProjection: input " + Arrays.toString(x.shape()) + " and vocabulary table "
          + Arrays.toString(table.shape()) + " do not match: expected [M, H] and [V, H + 1]");
    }
    return (int) x.size(1);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(null, null);
  }
}

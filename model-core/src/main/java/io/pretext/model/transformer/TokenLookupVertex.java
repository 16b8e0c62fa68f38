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
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link TokenLookup}. */
public final class TokenLookupVertex extends ParameterFreeGraphVertex {
  private static final long serialVersionUID = 1L;

  TokenLookupVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, dataType);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray ids = inputs[0];
    INDArray table = inputs[1];
    int h = (int) table.size(1) - 1;
    int[] index = ids(ids, table.size(0));
    INDArray w = table.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      return Nd4j.pullRows(w, 1, index).reshape('c', ids.size(0), ids.size(1), h);
    }
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray ids = inputs[0];
    INDArray table = inputs[1];
    long v = table.size(0);
    int h = (int) table.size(1) - 1;
    INDArray delta = epsilon.reshape('c', ids.size(0) * ids.size(1), h);
    INDArray indices = Nd4j.createFromArray(ids(ids, v));
    INDArray dW = Nd4j.zeros(epsilon.dataType(), v, h);
    Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ADD, dW, indices, delta, 1);
    INDArray dTable = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), v, h + 1);
    dTable.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)).assign(dW);
    return new Pair<>(null, new INDArray[] {null, dTable});
  }

  /**
   * The ids as ints.
   *
   * @throws IllegalArgumentException if an id is not an integer in {@code [0, vocabSize)}
   */
  static int[] ids(INDArray ids, long vocabSize) {
    if (ids.rank() != 2) {
      throw new IllegalArgumentException("token ids must be [N, T], got shape " + Arrays.toString(ids.shape()));
    }
    double[] values = ids.dup('c').data().asDouble();
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      double d = values[i];
      if (!(d >= 0 && d < vocabSize) || d != Math.rint(d)) {
        throw new IllegalArgumentException("token id " + d + " at flat position " + i + " is not in the vocabulary [0, "
            + vocabSize + "): the dataset's vocab.txt and the model's vocabulary size disagree");
      }
      out[i] = (int) d;
    }
    return out;
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
  }
}

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

/** Runtime side of {@link GatherPositions}. */
public final class GatherPositionsVertex extends ParameterFreeGraphVertex {
  private static final long serialVersionUID = 1L;

  GatherPositionsVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, dataType);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray hidden = inputs[0];
    long rows = rows(hidden);
    int[] positions = positions(inputs[1], rows);
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      return Nd4j.pullRows(hidden.reshape('c', rows, hidden.size(2)), 1, positions);
    }
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray hidden = inputs[0];
    long rows = rows(hidden);
    int[] positions = positions(inputs[1], rows);
    int m = positions.length;
    // Inverse of the gather as a gather: row p of the result is row i of [epsilon; 0] if positions[i] == p, else the zero row.
    int[] source = new int[(int) rows];
    Arrays.fill(source, m);
    for (int i = 0; i < m; i++) {
      source[positions[i]] = i;
    }
    INDArray withZero = Nd4j.concat(0, epsilon, Nd4j.zeros(epsilon.dataType(), 1, epsilon.size(1)));
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
      INDArray dHidden = Nd4j.pullRows(withZero, 1, source).reshape('c', hidden.size(0), hidden.size(1), hidden.size(2));
      return new Pair<>(null, new INDArray[] {dHidden, null});
    }
  }

  private static long rows(INDArray hidden) {
    if (hidden.rank() != 3) {
      throw new IllegalArgumentException("GatherPositions: sequence output must be [N, T, H], got " + Arrays.toString(hidden.shape()));
    }
    return hidden.size(0) * hidden.size(1);
  }

  /**
   * The positions as ints.
   *
   * @throws IllegalArgumentException if one is not an integer in {@code [0, rows)} or two are equal
   */
  static int[] positions(INDArray positions, long rows) {
    if (positions.rank() > 2 || positions.rank() == 2 && positions.size(1) != 1) {
      throw new IllegalArgumentException("masked positions must be [M, 1], got shape " + Arrays.toString(positions.shape()));
    }
    double[] values = positions.dup('c').data().asDouble();
    int[] out = new int[values.length];
    boolean[] seen = new boolean[(int) rows];
    for (int i = 0; i < values.length; i++) {
      double p = values[i];
      if (!(p >= 0 && p < rows) || p != Math.rint(p) || seen[(int) p]) {
        throw new IllegalArgumentException("masked position " + p + " (entry " + i + ") is invalid: positions must be distinct "
            + "flat indices n * T + t in [0, " + rows + ")");
      }
      seen[(int) p] = true;
      out[i] = (int) p;
    }
    return out;
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(null, null);
  }
}

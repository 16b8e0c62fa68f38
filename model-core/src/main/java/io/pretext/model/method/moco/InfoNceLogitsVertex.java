package io.pretext.model.method.moco;

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

/**
 * Runtime side of {@link InfoNceLogits}. With {@code G = dL/dlogits [2N, 1 + K]}:
 * <pre>
 *   dqn_i = (G[i, 0] kn_pair(i) + sum_j G[i, 1 + j] queue_j) / T
 *   dq_i  = (dqn_i - qn_i (qn_i . dqn_i)) / |q_i|               (through the normalisation)
 * </pre>
 */
public final class InfoNceLogitsVertex extends ParameterFreeGraphVertex {
  private static final long serialVersionUID = 1L;
  private final double temperature;
  private final int queueSize;

  InfoNceLogitsVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType, double temperature, int queueSize) {
    super(graph, name, vertexIndex, dataType);
    this.temperature = temperature;
    this.queueSize = queueSize;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray q = inputs[0];
    INDArray k = inputs[1];
    INDArray queue = inputs[2];
    check(q, k, queue);
    INDArray qn = q.div(q.norm2(true, 1));
    INDArray pairs = swapHalves(k.div(k.norm2(true, 1)));
    INDArray positive = qn.mul(pairs).sum(true, 1);                     // [2N, 1]
    INDArray negative = Nd4j.gemm(qn, queue.castTo(qn.dataType()), false, true); // [2N, K]
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      return Nd4j.hstack(positive, negative).divi(temperature);
    }
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray q = inputs[0];
    INDArray k = inputs[1];
    INDArray queue = inputs[2].castTo(q.dataType());
    check(q, k, queue);
    long kq = queue.size(0);
    INDArray norm = q.norm2(true, 1);                                   // [2N, 1]
    INDArray qn = q.div(norm);
    INDArray pairs = swapHalves(k.div(k.norm2(true, 1)));
    INDArray gPositive = epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1));
    INDArray gNegative = epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + kq));
    INDArray dqn = pairs.mulColumnVector(gPositive).addi(Nd4j.gemm(gNegative.dup('c'), queue, false, false)).divi(temperature);
    INDArray dot = qn.mul(dqn).sum(true, 1);                            // [2N, 1]
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
      INDArray dq = dqn.sub(qn.mulColumnVector(dot)).diviColumnVector(norm);
      return new Pair<>(null, new INDArray[] {dq, null, null});
    }
  }

  /** Rows {@code [N..2N-1, 0..N-1]} of {@code a}: each view's row paired with the other view's. */
  private static INDArray swapHalves(INDArray a) {
    long n = a.size(0) / 2;
    return Nd4j.vstack(a.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()), a.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
  }

  private void check(INDArray q, INDArray k, INDArray queue) {
    if (q.rank() != 2 || !Arrays.equals(q.shape(), k.shape()) || q.size(0) % 2 != 0 || q.size(0) == 0 || queue.rank() != 2
        || queue.size(1) != q.size(1) || queue.size(0) != queueSize) {
      throw new IllegalArgumentException("MoCo logits need queries and keys [2N, D] of the same shape, N >= 1, and a queue [K, D] of"
          + " the same width with " + queueSize + " rows: got q " + Arrays.toString(q.shape()) + ", k " + Arrays.toString(k.shape()) + ", queue "
          + Arrays.toString(queue.shape()));
    }
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(null, null);
  }
}

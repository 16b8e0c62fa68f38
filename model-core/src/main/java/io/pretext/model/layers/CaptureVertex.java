package io.pretext.model.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link Capture}. */
public final class CaptureVertex extends ParameterFreeGraphVertex {
  private static final long serialVersionUID = 1L;

  private transient INDArray captured;

  CaptureVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, dataType);
  }

  /**
   * What the last training forward pass passed on, detached from workspaces.
   *
   * @throws IllegalStateException if no training forward pass ran yet
   */
  public INDArray captured() {
    if (captured == null) {
      throw new IllegalStateException("capture vertex '" + vertexName + "' has seen no training forward pass yet");
    }
    return captured;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (training) {
      captured = inputs[0].isAttached() ? inputs[0].detach() : inputs[0].dup();
    }
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, inputs[0]);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    // No gradient (a capture on a frozen path, such as MoCo's keys) stays none.
    return new Pair<>(null, new INDArray[] {epsilon == null ? null : workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon)});
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
  }
}

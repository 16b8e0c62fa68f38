package io.pretext.model.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The vertex of a {@link ChannelsLast} configuration: {@code [N, C, H, W] -> [N, H, W, C]} (a contiguous copy), and
 * the gradient back.
 */
public final class ChannelsLastVertex extends ParameterFreeGraphVertex {

  public ChannelsLastVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, dataType);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoForward()) {
      throw new IllegalStateException("ChannelsLast vertex '" + vertexName + "': inputs not set");
    }
    INDArray x = inputs[0];
    if (x.rank() != 4) {
      throw new IllegalArgumentException("ChannelsLast vertex '" + vertexName + "': input shape "
          + java.util.Arrays.toString(x.shape()) + " is invalid: expected NCHW [N, C, H, W]");
    }
    return workspaceMgr.dup(ArrayType.ACTIVATIONS, x.permute(0, 2, 3, 1), 'c');
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    if (epsilon == null && inputs != null) {
      // the next layer computes no input gradient (an InputConvolution): nothing to pass back
      return new Pair<>(null, new INDArray[] {null});
    }
    if (!canDoBackward()) {
      throw new IllegalStateException("ChannelsLast vertex '" + vertexName + "': gradient not set");
    }
    return new Pair<>(null, new INDArray[] {workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon.permute(0, 3, 1, 2),
        'c')});
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                         int minibatchSize) {
    return new Pair<>(maskArrays == null || maskArrays.length == 0 ? null : maskArrays[0], currentMaskState);
  }
}

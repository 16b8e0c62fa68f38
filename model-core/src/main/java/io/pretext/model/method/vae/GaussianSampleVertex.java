package io.pretext.model.method.vae;

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
import org.nd4j.linalg.ops.transforms.Transforms;

/** Runtime side of {@link GaussianSample}: {@code z = mu + exp(lv / 2) * eps}. */
final class GaussianSampleVertex extends ParameterFreeGraphVertex {
  private static final long serialVersionUID = 1L;

  GaussianSampleVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, dataType);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    check();
    INDArray scaledNoise = Transforms.exp(inputs[1].mul(0.5), false).muli(inputs[2].castTo(inputs[0].dataType()));
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      return inputs[0].add(scaledNoise);
    }
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    check();
    INDArray halfSigmaNoise = Transforms.exp(inputs[1].mul(0.5), false).muli(inputs[2].castTo(inputs[0].dataType())).muli(0.5);
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
      return new Pair<>(null, new INDArray[] {epsilon.dup(), epsilon.mul(halfSigmaNoise), null});
    }
  }

  private void check() {
    if (inputs[0].rank() != 2 || !Arrays.equals(inputs[0].shape(), inputs[1].shape()) || !Arrays.equals(inputs[0].shape(),
        inputs[2].shape())) {
      throw new IllegalArgumentException("the VAE's sample needs mean, log-variance and noise of one shape [N, L]: got "
          + Arrays.toString(inputs[0].shape()) + ", " + Arrays.toString(inputs[1].shape()) + ", " + Arrays.toString(inputs[2].shape()));
    }
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(null, null);
  }
}

package io.pretext.model.transformer;

import io.pretext.model.layers.ParameterFreeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Selects the rows of a padded sequence output at given flat positions: inputs {@code hidden [N, T, H]} and
 * {@code positions [M, 1]} (flat indices {@code n * T + t}, distinct, integral values in a floating-point array),
 * output {@code [M, H]}. The masked-LM head runs on these {@code M} rows only (about 15% of the real tokens), so its
 * vocabulary projection costs {@code M * V * H}, not {@code N * T * V * H}. Backward: the rows' gradients go back to
 * their positions, zeros elsewhere; the positions get none. Parameter-free; the output carries no mask.
 */
public final class GatherPositions extends ParameterFreeVertex {
  private static final long serialVersionUID = 1L;

  @Override
  protected int inputCount() {
    return 2;
  }

  @Override
  protected org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index, DataType dataType) {
    return new GatherPositionsVertex(graph, name, index, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return vertexInputs[0] instanceof InputType.InputTypeRecurrent r ? InputType.feedForward(r.getSize()) : vertexInputs[0];
  }
}

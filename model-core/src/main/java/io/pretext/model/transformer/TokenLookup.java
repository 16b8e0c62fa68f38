package io.pretext.model.transformer;

import io.pretext.model.layers.ParameterFreeVertex;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Embeds token ids with the tied embedding matrix of a {@link VocabularyTable}: inputs {@code ids [N, T]} (integral
 * values in a floating-point array, as DL4J features are) and the table's activation {@code [V, H + 1]}; output
 * {@code [N, T, H]}, row {@code (n, t)} = {@code W[ids[n, t]]}. Backward: the rows of the output gradient are added
 * into the gradient of the table rows they came from (a scatter-add, repeated ids accumulate); the ids get none.
 * Parameter-free; the feature mask of the ids passes through.
 */
public final class TokenLookup extends ParameterFreeVertex {
  private static final long serialVersionUID = 1L;

  @Override
  protected int inputCount() {
    return 2;
  }

  @Override
  protected org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index, DataType dataType) {
    return new TokenLookupVertex(graph, name, index, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.recurrent(vertexInputs[1].arrayElementsPerExample() - 1, RNNFormat.NWC);
  }
}

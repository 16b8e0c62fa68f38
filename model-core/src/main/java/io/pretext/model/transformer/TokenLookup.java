package io.pretext.model.transformer;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Embeds token ids with the tied embedding matrix of a {@link VocabularyTable}: inputs {@code ids [N, T]} (integral
 * values in a floating-point array, as DL4J features are) and the table's activation {@code [V, H + 1]}; output
 * {@code [N, T, H]}, row {@code (n, t)} = {@code W[ids[n, t]]}. Backward: the rows of the output gradient are added
 * into the gradient of the table rows they came from (a scatter-add, repeated ids accumulate); the ids get none.
 * Parameter-free; the feature mask of the ids passes through.
 */
public final class TokenLookup extends GraphVertex {
  private static final long serialVersionUID = 1L;

  @Override
  public TokenLookup clone() {
    return new TokenLookup();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenLookup;
  }

  @Override
  public int hashCode() {
    return TokenLookup.class.hashCode();
  }

  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return 2;
  }

  @Override
  public int maxVertexInputs() {
    return 2;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new TokenLookupVertex(graph, name, idx, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.recurrent(vertexInputs[1].arrayElementsPerExample() - 1, RNNFormat.NWC);
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    InputType out = getOutputType(-1, inputTypes);
    return new LayerMemoryReport.Builder(null, TokenLookup.class, inputTypes[0], out)
        .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }
}

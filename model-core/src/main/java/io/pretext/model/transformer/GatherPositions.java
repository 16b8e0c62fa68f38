package io.pretext.model.transformer;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Selects the rows of a padded sequence output at given flat positions: inputs {@code hidden [N, T, H]} and
 * {@code positions [M, 1]} (flat indices {@code n * T + t}, distinct, integral values in a floating-point array),
 * output {@code [M, H]}. The masked-LM head runs on these {@code M} rows only (about 15% of the real tokens), so its
 * vocabulary projection costs {@code M * V * H}, not {@code N * T * V * H}. Backward: the rows' gradients go back to
 * their positions, zeros elsewhere; the positions get none. Parameter-free; the output carries no mask.
 */
public final class GatherPositions extends GraphVertex {
  private static final long serialVersionUID = 1L;

  @Override
  public GatherPositions clone() {
    return new GatherPositions();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatherPositions;
  }

  @Override
  public int hashCode() {
    return GatherPositions.class.hashCode();
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
    return new GatherPositionsVertex(graph, name, idx, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return vertexInputs[0] instanceof InputType.InputTypeRecurrent r ? InputType.feedForward(r.getSize()) : vertexInputs[0];
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    return new LayerMemoryReport.Builder(null, GatherPositions.class, inputTypes[0], getOutputType(-1, inputTypes))
        .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }
}

package io.pretext.model.transformer;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BERT's masked-LM vocabulary projection with the input embeddings as weights (Devlin et al. 2019; Press and Wolf
 * 2017): inputs {@code x [M, H]} and a {@link VocabularyTable}'s activation {@code [V, H + 1] = [W | b]}, output the
 * logits {@code [M, V] = x W^T + b}. Backward: {@code dx = dZ W}, and the table gets {@code [dZ^T x | sum_m dZ]}, which
 * DL4J adds to what {@link TokenLookup} sends the same table (see {@link VocabularyTable}). Parameter-free.
 */
public final class TiedProjection extends GraphVertex {
  private static final long serialVersionUID = 1L;

  @Override
  public TiedProjection clone() {
    return new TiedProjection();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TiedProjection;
  }

  @Override
  public int hashCode() {
    return TiedProjection.class.hashCode();
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
    return new TiedProjectionVertex(graph, name, idx, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return vertexInputs[0];
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    return new LayerMemoryReport.Builder(null, TiedProjection.class, inputTypes[0], getOutputType(-1, inputTypes))
        .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }
}

package io.pretext.model.transformer;

import io.pretext.model.layers.ParameterFreeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * BERT's masked-LM vocabulary projection with the input embeddings as weights (Devlin et al. 2019; Press and Wolf
 * 2017): inputs {@code x [M, H]} and a {@link VocabularyTable}'s activation {@code [V, H + 1] = [W | b]}, output the
 * logits {@code [M, V] = x W^T + b}. Backward: {@code dx = dZ W}, and the table gets {@code [dZ^T x | sum_m dZ]}, which
 * DL4J adds to what {@link TokenLookup} sends the same table (see {@link VocabularyTable}). Parameter-free.
 */
public final class TiedProjection extends ParameterFreeVertex {
  private static final long serialVersionUID = 1L;

  @Override
  protected int inputCount() {
    return 2;
  }

  @Override
  protected org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index, DataType dataType) {
    return new TiedProjectionVertex(graph, name, index, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return vertexInputs[0];
  }
}

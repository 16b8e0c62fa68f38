package io.pretext.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime side of a {@link ParameterFreeVertex}: no layer, no parameter gradients. A subclass implements the forward and
 * backward passes and says what happens to the input masks.
 */
public abstract class ParameterFreeGraphVertex extends BaseGraphVertex {
  private static final long serialVersionUID = 1L;

  protected ParameterFreeGraphVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, null, null, dataType);
  }

  @Override
  public final boolean hasLayer() {
    return false;
  }

  @Override
  public final Layer getLayer() {
    return null;
  }

  @Override
  public final void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    if (backpropGradientsViewArray != null) {
      throw new IllegalStateException(getClass().getSimpleName() + " has no parameters");
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + vertexName + ")";
  }
}

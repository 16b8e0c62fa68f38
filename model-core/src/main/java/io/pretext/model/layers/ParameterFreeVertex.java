package io.pretext.model.layers;

import java.lang.reflect.InvocationTargetException;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration side of a graph vertex without parameters or settings: what DL4J's {@link GraphVertex} contract asks of
 * every such vertex (copying, equality, zero parameters, a memory report) in one place. A subclass names its input
 * count, its output type and its runtime vertex. It has a public no-argument constructor; without fields it serialises to
 * DL4J's JSON by class name alone, and a subclass with settings (bean properties, for the JSON) overrides
 * {@link #clone}, {@link #equals} and {@link #hashCode} to include them.
 */
public abstract class ParameterFreeVertex extends GraphVertex {
  private static final long serialVersionUID = 1L;

  /** How many inputs the vertex takes (exactly). */
  protected abstract int inputCount();

  /** The runtime vertex. */
  protected abstract org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index,
      DataType dataType);

  @Override
  public final org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return create(graph, name, idx, networkDatatype);
  }

  @Override
  public GraphVertex clone() {
    try {
      return getClass().getDeclaredConstructor().newInstance();
    } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
      throw new IllegalStateException(getClass().getName() + " needs a public no-argument constructor", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }

  @Override
  public final long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public final int minVertexInputs() {
    return inputCount();
  }

  @Override
  public final int maxVertexInputs() {
    return inputCount();
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], getOutputType(-1, inputTypes))
        .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "()";
  }
}

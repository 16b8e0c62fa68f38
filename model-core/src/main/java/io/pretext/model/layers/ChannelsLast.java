package io.pretext.model.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Graph vertex that turns NCHW images {@code [N, C, H, W]} into NHWC {@code [N, H, W, C]} (a copy; backprop
 * permutes the gradient back). Pretext's encoders start with it and run every later layer in NHWC: DL4J 1.0.0-M2.1's
 * oneDNN convolution picks a channels-last kernel for the forward pass, and with NCHW activations libnd4j reorders
 * the input and the output of every convolution between the layouts, about a third of a step
 * (docs/performance.md). Input of another type (including NHWC) is refused when the graph is built.
 * No parameters; serialises to DL4J's JSON by class name.
 */
public class ChannelsLast extends GraphVertex {

  private static final long serialVersionUID = 1L;

  @Override
  public ChannelsLast clone() {
    return new ChannelsLast();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelsLast;
  }

  @Override
  public int hashCode() {
    return ChannelsLast.class.hashCode();
  }

  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return 1;
  }

  @Override
  public int maxVertexInputs() {
    return 1;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new ChannelsLastVertex(graph, name, idx, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
    if (vertexInputs.length != 1 || !(vertexInputs[0] instanceof InputType.InputTypeConvolutional c)
        || c.getFormat() != CNN2DFormat.NCHW) {
      throw new InvalidInputTypeException("ChannelsLast vertex: input types "
          + java.util.Arrays.toString(vertexInputs) + " are invalid: expected one NCHW convolutional (image) input");
    }
    return InputType.convolutional(c.getHeight(), c.getWidth(), c.getChannels(), CNN2DFormat.NHWC);
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    InputType out = getOutputType(-1, inputTypes);
    return new LayerMemoryReport.Builder(null, ChannelsLast.class, inputTypes[0], out).standardMemory(0, 0)
        .workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }

  @Override
  public String toString() {
    return "ChannelsLast()";
  }
}

package io.pretext.model.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Graph vertex that turns NCHW images {@code [N, C, H, W]} into NHWC {@code [N, H, W, C]} (a copy; backprop
 * permutes the gradient back). Pretext's encoders start with it and run every later layer in NHWC: DL4J 1.0.0-M2.1's
 * oneDNN convolution picks a channels-last kernel for the forward pass, and with NCHW activations libnd4j reorders
 * the input and the output of every convolution between the layouts, about a third of a step
 * (docs/performance.md). Input of another type (including NHWC) is refused when the graph is built.
 * No parameters; serialises to DL4J's JSON by class name.
 */
public final class ChannelsLast extends ParameterFreeVertex {

  private static final long serialVersionUID = 1L;

  @Override
  protected int inputCount() {
    return 1;
  }

  @Override
  protected org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index, DataType dataType) {
    return new ChannelsLastVertex(graph, name, index, dataType);
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
}

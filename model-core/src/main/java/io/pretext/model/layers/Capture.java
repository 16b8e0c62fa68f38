package io.pretext.model.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An identity vertex that keeps a copy of what it passed on in the last training forward pass, so that a method's
 * per-step hook can read an activation of the step it just took without a second forward pass
 * ({@link io.pretext.model.lifecycle.StepResult#captured}; MoCo reads its keys this way). One input, output equal to
 * it; backward passes the gradient through unchanged (none stays none: a capture of a frozen path receives no gradient
 * and must not be frozen itself, or the step could not find it). The copy costs one array of the input's size per step, outside
 * DL4J's workspaces; inference passes keep nothing.
 */
public final class Capture extends ParameterFreeVertex {
  private static final long serialVersionUID = 1L;

  @Override
  protected int inputCount() {
    return 1;
  }

  @Override
  protected org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index, DataType dataType) {
    return new CaptureVertex(graph, name, index, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return vertexInputs[0];
  }
}

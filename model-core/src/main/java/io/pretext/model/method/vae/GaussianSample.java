package io.pretext.model.method.vae;

import io.pretext.model.layers.ParameterFreeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The VAE's reparameterised sample (Kingma and Welling 2014, Section 2.4): three inputs of the same shape
 * {@code [N, L]}, the posterior's mean {@code mu}, its log-variance {@code lv} and standard normal noise {@code eps}
 * (a graph input, drawn by the data pipeline per record so that runs are deterministic); output
 * {@code z = mu + exp(lv / 2) * eps}, {@code [N, L]}. Backward: {@code dmu = g}, {@code dlv = g * exp(lv / 2) * eps / 2};
 * the noise gets none.
 *
 * @see GaussianSampleVertex
 */
public final class GaussianSample extends ParameterFreeVertex {
  private static final long serialVersionUID = 1L;

  /** For JSON. */
  public GaussianSample() {
  }

  @Override
  protected int inputCount() {
    return 3;
  }

  @Override
  protected org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index, DataType dataType) {
    return new GaussianSampleVertex(graph, name, index, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return vertexInputs[0];
  }
}

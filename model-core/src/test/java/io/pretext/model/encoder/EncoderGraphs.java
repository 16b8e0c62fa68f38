package io.pretext.model.encoder;

import io.pretext.model.InputShape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/** Test helper: a graph holding only an encoder, whose output is the representation. */
final class EncoderGraphs {

  private EncoderGraphs() {
  }

  static ComputationGraph encoderOnly(EncoderSpec encoder, InputShape shape) {
    GraphBuilder g = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT).graphBuilder()
        .addInputs("in").setInputTypes(shape.toInputType());
    EncoderOutput out = encoder.addTo(g, "", "in", shape);
    g.setOutputs(out.representationVertex());
    ComputationGraph graph = new ComputationGraph(g.build());
    graph.init();
    return graph;
  }
}

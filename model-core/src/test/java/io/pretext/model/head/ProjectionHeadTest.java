package io.pretext.model.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.model.method.contrastive.SimClrConfig;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ProjectionHeadTest {

  private static ComputationGraph standalone(ProjectionHead head, int inDim) {
    GraphBuilder g = new NeuralNetConfiguration.Builder().seed(3).graphBuilder().addInputs("in")
        .setInputTypes(InputType.feedForward(inDim));
    g.setOutputs(head.addTo(g, "", "in"));
    ComputationGraph graph = new ComputationGraph(g.build());
    graph.init();
    return graph;
  }

  @Test
  void defaultIs128To128To64() {
    ComputationGraph g = standalone(SimClrConfig.defaultHead(), 128);
    assertEquals((128 * 128 + 128) + (128 * 64 + 64), g.numParams());
    assertArrayEquals(new long[] {4, 64}, g.outputSingle(Nd4j.rand(DataType.FLOAT, 4, 128)).shape());
  }

  @Test
  void configurableWithBatchNorm() {
    ComputationGraph g = standalone(new ProjectionHead(List.of(32, 16), 8, true), 10);
    // Hidden Dense layers without bias, BN 4 params per channel as DL4J counts them, final Dense with bias.
    assertEquals((10 * 32 + 4 * 32) + (32 * 16 + 4 * 16) + (16 * 8 + 8), g.numParams());
    assertArrayEquals(new long[] {2, 8}, g.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 10)).shape());
  }
}

package io.pretext.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Split batch norm ({@link FusedBatchNorm#setGroups}): in training mode the output for each contiguous group of rows is
 * exactly what DL4J's own {@code BatchNormalization} (+ ReLU) computes on that group alone, with the same scale and
 * shift; in inference mode it is ordinary batch norm; backward is refused. FLOAT runs the oneDNN path, DOUBLE the ND4J
 * path.
 */
class SplitBatchNormTest {

  private static ComputationGraph net(boolean fused, int groups, DataType type) {
    NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(3).dataType(type);
    ComputationGraphConfiguration.GraphBuilder g = b.graphBuilder().addInputs("in")
        .setInputTypes(InputType.convolutional(5, 5, 3, CNN2DFormat.NHWC));
    if (fused) {
      FusedBatchNorm bn = FusedBatchNorm.withRelu();
      bn.setGroups(groups);
      g.addLayer("bn", bn, "in");
      g.setOutputs("bn");
    } else {
      g.addLayer("bn", new BatchNormalization.Builder().build(), "in");
      g.addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn");
      g.setOutputs("relu");
    }
    ComputationGraph graph = new ComputationGraph(g.build());
    graph.init();
    return graph;
  }

  @ParameterizedTest(name = "{0}, {1} groups")
  @CsvSource({"FLOAT, 2", "FLOAT, 4", "DOUBLE, 2", "DOUBLE, 8"})
  void eachGroupIsNormalisedOnItsOwn(DataType type, int groups) {
    int rows = 8;
    ComputationGraph split = net(true, groups, type);
    INDArray gamma = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(1), new long[] {3}).castTo(type).addi(0.5);
    INDArray beta = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(2), new long[] {3}).castTo(type).subi(0.5);
    split.getLayer("bn").setParam("gamma", gamma.reshape(1, 3));
    split.getLayer("bn").setParam("beta", beta.reshape(1, 3));
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(7), new long[] {rows, 5, 5, 3}).castTo(type).muli(4).subi(1);
    INDArray out = split.outputSingle(true, x);
    long per = rows / groups;
    double tolerance = type == DataType.DOUBLE ? 1e-10 : 1e-4;
    for (int gIndex = 0; gIndex < groups; gIndex++) {
      ComputationGraph reference = net(false, 1, type);
      reference.getLayer("bn").setParam("gamma", gamma.reshape(1, 3));
      reference.getLayer("bn").setParam("beta", beta.reshape(1, 3));
      INDArray block = x.get(NDArrayIndex.interval(gIndex * per, (gIndex + 1) * per)).dup();
      INDArray expected = reference.outputSingle(true, block);
      INDArray actual = out.get(NDArrayIndex.interval(gIndex * per, (gIndex + 1) * per));
      assertArrayEquals(expected.castTo(DataType.DOUBLE).data().asDouble(), actual.dup().castTo(DataType.DOUBLE).data().asDouble(), tolerance,
          "group " + gIndex);
    }
    // inference: the running statistics, the same for split and whole-batch layers
    ComputationGraph whole = net(true, 1, type);
    whole.setParams(split.params());
    assertArrayEquals(whole.outputSingle(false, x).castTo(DataType.DOUBLE).data().asDouble(),
        split.outputSingle(false, x).castTo(DataType.DOUBLE).data().asDouble(), tolerance);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FLOAT", "DOUBLE"})
  void backwardIsRefusedAndUnevenGroupsToo(DataType type) {
    ComputationGraph split = net(true, 2, type);
    INDArray x = Nd4j.rand(type, 4, 5, 5, 3);
    org.deeplearning4j.nn.api.Layer bn = split.getLayer("bn");
    org.deeplearning4j.nn.workspace.LayerWorkspaceMgr none = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
    bn.setInput(x, none);
    bn.activate(true, none);
    assertThrows(UnsupportedOperationException.class, () -> bn.backpropGradient(Nd4j.ones(type, 4, 5, 5, 3), none));
    assertThrows(IllegalArgumentException.class, () -> split.outputSingle(true, Nd4j.rand(type, 3, 5, 5, 3)));
    assertThrows(IllegalArgumentException.class, () -> FusedBatchNorm.withRelu().setGroups(0));
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(split.getConfiguration().toJson());
    assertEquals(split.getConfiguration(), parsed, "JSON round trip");
    assertEquals(2, ((FusedBatchNorm) ((org.deeplearning4j.nn.conf.graph.LayerVertex) parsed.getVertices().get("bn")).getLayerConf()
        .getLayer()).getGroups(), "groups survive JSON");
  }
}

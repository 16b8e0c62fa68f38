package io.pretext.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link Capture}: an identity that keeps, after a training step, exactly the activations its input had in that step's
 * forward pass (compared with a forward pass of our own at the pre-step parameters), and changes no gradient (the
 * graph with a capture trains exactly as the graph without one).
 */
class CaptureTest {

  private static ComputationGraph graph(boolean capture) {
    var g = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE).graphBuilder()
        .addInputs("in").setInputTypes(InputType.feedForward(3))
        .addLayer("h", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "in");
    String into = "h";
    if (capture) {
      g.addVertex("seen", new Capture(), "h");
      into = "seen";
    }
    g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build(), into);
    ComputationGraph graph = new ComputationGraph(g.setOutputs("out").build());
    graph.init();
    return graph;
  }

  @Test
  void keepsTheStepsActivationsAndChangesNoGradient() {
    ComputationGraph with = graph(true);
    ComputationGraph without = graph(false);
    without.setParams(with.params());
    INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3);
    INDArray y = Nd4j.rand(DataType.DOUBLE, 5, 2);
    INDArray expected = with.feedForward(new INDArray[] {x}, false).get("h").dup();
    assertThrows(IllegalStateException.class, () -> ((CaptureVertex) with.getVertex("seen")).captured(), "nothing before a step");
    with.fit(new org.nd4j.linalg.dataset.MultiDataSet(x, y));
    without.fit(new org.nd4j.linalg.dataset.MultiDataSet(x, y));
    assertEquals(expected, ((CaptureVertex) with.getVertex("seen")).captured());
    assertEquals(without.params(), with.params(), "the capture is an identity for training");
  }
}

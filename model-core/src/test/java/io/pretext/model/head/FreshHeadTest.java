package io.pretext.model.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.optim.OptimizerConfig;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link FreshHead}: a layer's weights redrawn from the seed within the Xavier bound, its biases zero, its optimiser
 * state zero, and every other parameter and state value untouched. The optimiser state is read back through DL4J's own
 * per-updater state maps (Adam's {@code M} and {@code V}), not through the offsets the reset computed.
 */
class FreshHeadTest {

  private static ComputationGraph trained() {
    OptimizerConfig opt = OptimizerConfig.adamW(1e-2, 1e-3, 0, 10);
    ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
        .updater(opt.updater()).regularization(opt.weightRegularization()).graphBuilder()
        .addInputs("in").setInputTypes(InputType.feedForward(6))
        .addLayer("hidden", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("classifier", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), "hidden")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY).build(), "classifier")
        .setOutputs("out").build());
    g.init();
    for (int i = 0; i < 3; i++) {
      g.fit(new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.rand(DataType.FLOAT, 8, 6), Nd4j.rand(DataType.FLOAT, 8, 3)));
    }
    return g;
  }

  @Test
  void resetsOneLayerAndItsOptimiserStateOnly() {
    ComputationGraph g = trained();
    INDArray before = g.params().dup();
    INDArray stateBefore = g.getUpdater().getStateViewArray().dup();
    long n = FreshHead.reset(g, "classifier", 42);
    assertEquals(5 * 4 + 4, n);

    INDArray w = g.getLayer("classifier").getParam("W");
    double bound = Math.sqrt(6.0 / (5 + 4));
    assertTrue(w.amaxNumber().doubleValue() <= bound, "Xavier-uniform bound " + bound);
    assertEquals(0, g.getLayer("classifier").getParam("b").amaxNumber().doubleValue(), "biases zero");
    for (String other : new String[] {"hidden", "out"}) {
      long[] range = range(g, other);
      assertEquals(before.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(range[0], range[1])),
          g.params().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(range[0], range[1])), other + " untouched");
    }

    long[] head = range(g, "classifier");
    int checkedStates = 0;
    for (UpdaterBlock block : g.getUpdater().getUpdaterBlocks()) {
      @SuppressWarnings("unchecked")
      Map<String, INDArray> state = block.getGradientUpdater().getState();
      for (Map.Entry<String, INDArray> s : state.entrySet()) {
        double[] values = s.getValue().dup().data().asDouble();
        for (int i = 0; i < values.length; i++) {
          long param = block.getParamOffsetStart() + i;
          if (param >= head[0] && param < head[1]) {
            assertEquals(0, values[i], s.getKey() + " of the classifier's parameter " + param);
            checkedStates++;
          }
        }
      }
    }
    assertEquals(2 * n, checkedStates, "Adam's M and V over every classifier parameter");
    assertNotEquals(stateBefore, g.getUpdater().getStateViewArray());
    INDArray other = g.getUpdater().getStateViewArray().dup();
    long zeroed = 0;
    double[] b = stateBefore.data().asDouble();
    double[] a = other.data().asDouble();
    for (int i = 0; i < a.length; i++) {
      zeroed += a[i] != b[i] ? 1 : 0;
    }
    assertTrue(zeroed <= 2 * n, "only the classifier's state changed (" + zeroed + " values)");
  }

  @Test
  void theSameSeedDrawsTheSameWeights() {
    ComputationGraph a = trained();
    ComputationGraph b = trained();
    FreshHead.reset(a, "classifier", 7);
    FreshHead.reset(b, "classifier", 7);
    assertArrayEquals(a.getLayer("classifier").getParam("W").toFloatMatrix(), b.getLayer("classifier").getParam("W").toFloatMatrix());
    FreshHead.reset(b, "classifier", 8);
    assertNotEquals(a.getLayer("classifier").getParam("W"), b.getLayer("classifier").getParam("W"));
    assertThrows(IllegalArgumentException.class, () -> FreshHead.reset(a, "nope", 1));
  }

  /** {@code [start, end)} of a layer's parameters in the flat vector. */
  private static long[] range(ComputationGraph g, String layer) {
    long start = 0;
    for (String v : g.getConfiguration().getTopologicalOrderStr()) {
      org.deeplearning4j.nn.api.Layer l = g.getLayer(v);
      if (l == null) {
        continue;
      }
      if (v.equals(layer)) {
        return new long[] {start, start + l.numParams()};
      }
      start += l.numParams();
    }
    throw new IllegalArgumentException(layer);
  }
}

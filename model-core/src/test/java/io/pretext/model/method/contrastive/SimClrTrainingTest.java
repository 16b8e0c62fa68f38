package io.pretext.model.method.contrastive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.SmallCnn;
import io.pretext.model.optim.OptimizerConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** SimCLR + small-cnn learns to match two noisy copies of the same random image. */
class SimClrTrainingTest {

  @Test
  void fittingReducesNtXentLoss() {
    int n = 8;
    int iterations = 20;
    InputShape shape = InputShape.greyscale(16, 16);
    SimClr simClr = new SimClr(SimClrConfig.defaults());
    ComputationGraph g = simClr.build(new SmallCnn(), shape,
        new GraphSettings(11, DataType.FLOAT, OptimizerConfig.adamW(3e-3, 1e-4, 3, iterations)));

    Random rng = Nd4j.getRandomFactory().getNewRandomInstance(2024);
    INDArray images = Nd4j.rand(rng, shape.batchShape(n)).castTo(DataType.FLOAT);
    double[] losses = new double[iterations];
    for (int it = 0; it < iterations; it++) {
      INDArray view1 = images.add(Nd4j.randn(rng, shape.batchShape(n)).castTo(DataType.FLOAT).muli(0.1));
      INDArray view2 = images.add(Nd4j.randn(rng, shape.batchShape(n)).castTo(DataType.FLOAT).muli(0.1));
      MultiDataSet batch = simClr.trainingBatch(ImageBatch.of(Nd4j.concat(0, view1, view2), 2));
      g.fit(batch);
      losses[it] = g.score();
    }
    double first = (losses[0] + losses[1] + losses[2]) / 3;
    double last = (losses[iterations - 1] + losses[iterations - 2] + losses[iterations - 3]) / 3;
    // Random embeddings give about ln(2N - 1) = ln 15 = 2.71.
    assertTrue(last < first - 0.5, "loss did not drop enough: " + java.util.Arrays.toString(losses));
  }
}

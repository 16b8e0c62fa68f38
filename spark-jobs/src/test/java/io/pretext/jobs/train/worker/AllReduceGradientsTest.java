package io.pretext.jobs.train.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code --sync allreduce-gradients} is synchronous data-parallel SGD: on a graph without batch norm and with a
 * per-example mean loss, two workers that each take a step on 4 records with their gradients averaged must move
 * exactly as one network that takes the step on the 8 records together. Checked over 2 rounds of 2 steps (Adam with
 * weight decay, so the updater's state and the decay see the averaged gradient too), to float tolerance: the two
 * sides add the 8 records' gradients in different orders.
 */
class AllReduceGradientsTest {
  @TempDir Path tmp;

  private static ComputationGraph network() {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new Adam(2e-2))
        .weightDecay(1e-3).graphBuilder().addInputs("in")
        .addLayer("hidden", new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build(), "in")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build(),
            "hidden")
        .setOutputs("out").build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }

  private static MultiDataSet batch(long seed, int rows) {
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), new long[] {rows, 6}).castTo(DataType.FLOAT).subi(0.5);
    INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 3);
    for (int i = 0; i < rows; i++) {
      y.putScalar(i, (int) ((seed + i) % 3), 1f);
    }
    return new org.nd4j.linalg.dataset.MultiDataSet(x, y);
  }

  private static MultiDataSet union(MultiDataSet a, MultiDataSet b) {
    return new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.concat(0, a.getFeatures(0), b.getFeatures(0)),
        Nd4j.concat(0, a.getLabels(0), b.getLabels(0)));
  }

  @Test
  void twoWorkersStepAsOneWithTheCombinedMinibatch() {
    int rounds = 2;
    int frequency = 2;
    // per round, worker 0's two minibatches, then worker 1's (the RDD's two partitions)
    List<List<MultiDataSet>> data = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      List<MultiDataSet> round = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        for (int s = 0; s < frequency; s++) {
          round.add(batch(1000L * r + 100L * w + s, 4));
        }
      }
      data.add(round);
    }
    ComputationGraph start = network();
    ComputationGraph reference = start.clone();
    for (List<MultiDataSet> round : data) {
      for (int s = 0; s < frequency; s++) {
        reference.fit(union(round.get(s), round.get(frequency + s)));
      }
    }

    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
    SimClr method = new SimClr(SimClrConfig.defaults()); // its worker steps do nothing; the network is the test's own
    RunPlan plan = new RunPlan(1, rounds * 2 * frequency * 4, 1, 2, 4, frequency, rounds);
    RunDirectory run = new RunDirectory(tmp.resolve("run").toUri().toString(), sc.hadoopConfiguration());
    AllReduceAveraging trainer = new AllReduceAveraging(sc, start.clone(), method, plan, run, 100, true, new PrintWriter(new StringWriter()));
    try {
      List<JavaRDD<MultiDataSet>> rdds = new ArrayList<>();
      for (List<MultiDataSet> round : data) {
        rdds.add(sc.parallelize(round, 2));
      }
      trainer.fitRounds(0, rdds, MethodState.NONE, (i, stats) -> { });
    } finally {
      trainer.close();
    }
    ComputationGraph trained = trainer.network();
    assertEquals(rounds * frequency, trained.getConfiguration().getIterationCount());
    double moved = trained.params().sub(start.params()).amaxNumber().doubleValue();
    assertTrue(moved > 1e-2, "training moved the parameters by " + moved);
    double diff = trained.params().sub(reference.params()).amaxNumber().doubleValue();
    assertTrue(diff < 1e-6, "parameters differ from one worker with the combined minibatch by " + diff);
    double state = WorkerLoop.updaterState(trained).sub(WorkerLoop.updaterState(reference)).amaxNumber().doubleValue();
    assertTrue(state < 1e-6, "Adam state differs by " + state);
  }
}

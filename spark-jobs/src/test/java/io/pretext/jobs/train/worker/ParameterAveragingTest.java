package io.pretext.jobs.train.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.train.DistributedTrainer.RoundStats;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * With one worker, parameter averaging is plain sequential training: after R rounds of F minibatches the Spark
 * trainer must hold the parameters and Adam state of a single DL4J network that fitted the same R x F minibatches
 * in order. The schedule has a warm-up, so a worker that restarted its iteration count every round would train at
 * other learning rates and with other Adam bias corrections, and fail this test; the workers reuse their networks
 * between rounds ({@link WorkerNetworks}), so a worker that kept anything of the previous round would fail it too.
 */
class ParameterAveragingTest {
  private static final InputShape SHAPE = new InputShape(1, 8, 8);
  private static final int ROWS = 8; // 4 images x 2 views

  private static ComputationGraph network() {
    SimClr method = new SimClr(SimClrConfig.defaults());
    // warm-up over 3 iterations, cosine to 12: the learning rate differs at every iteration
    return method.build(Encoders.byName("small-cnn"), SHAPE, GraphSettings.of(7, OptimizerConfig.adamW(5e-3, 1e-4, 3, 12)));
  }

  private static List<MultiDataSet> batches(int count) {
    SimClr method = new SimClr(SimClrConfig.defaults());
    List<MultiDataSet> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(method.trainingBatch(ImageBatch.of(Nd4j.rand(DataType.FLOAT, ROWS, 1, 8, 8).muli(0.5).addi(0.1 * i), 2)));
    }
    return out;
  }

  @Test
  void oneWorkerEqualsSequentialTrainingAcrossRounds() {
    int rounds = 4;
    int frequency = 2;
    Nd4j.getRandom().setSeed(11);
    List<MultiDataSet> data = batches(rounds * frequency);

    ComputationGraph reference = network();
    double[] objective = new double[data.size()];
    double regularisation = 0;
    for (int i = 0; i < data.size(); i++) {
      regularisation = reference.calcRegularizationScore(true);
      reference.fit(data.get(i));
      objective[i] = reference.score() - regularisation; // DL4J's score adds the weight-decay term of the parameters it used
    }
    assertTrue(regularisation > 1e-2, "the weight-decay term must be large enough to tell: " + regularisation);

    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
    ParameterAveraging trainer = new ParameterAveraging(sc, network(), new SimClr(SimClrConfig.defaults()),
        new RunPlan(7, rounds * frequency * ROWS / 2, 1, 1, ROWS / 2, frequency, rounds));
    for (int r = 0; r < rounds; r++) {
      JavaRDD<MultiDataSet> round = sc.parallelize(data.subList(r * frequency, (r + 1) * frequency), 1);
      RoundStats stats = trainer.fitRound(round, null).stats();
      double mean = 0;
      for (int i = r * frequency; i < (r + 1) * frequency; i++) {
        mean += objective[i] / frequency;
      }
      assertEquals(mean, stats.loss(), 1e-4, "round loss: the mean objective of the round's minibatches, without the weight-decay term");
      assertTrue(stats.workerFitMillis() >= 0 && stats.workerFitMillis() <= stats.wallMillis(),
          "worker fit time " + stats.workerFitMillis() + " ms within the round's " + stats.wallMillis() + " ms");
    }
    ComputationGraph trained = trainer.network();

    assertEquals(rounds * frequency, trained.getConfiguration().getIterationCount());
    double paramDiff = trained.params().sub(reference.params()).amaxNumber().doubleValue();
    double moved = trained.params().sub(network().params()).amaxNumber().doubleValue();
    assertTrue(moved > 1e-3, "training moved the parameters by " + moved);
    assertTrue(paramDiff < 1e-5, "parameters differ from sequential training by up to " + paramDiff);
    double stateDiff = trained.getUpdater().getStateViewArray().sub(reference.getUpdater().getStateViewArray())
        .amaxNumber().doubleValue();
    assertTrue(stateDiff < 1e-5, "Adam state differs from sequential training by up to " + stateDiff);
  }
}

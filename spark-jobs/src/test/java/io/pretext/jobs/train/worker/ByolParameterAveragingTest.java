package io.pretext.jobs.train.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.distillation.Byol;
import io.pretext.model.method.distillation.ByolConfig;
import io.pretext.model.momentum.MomentumEncoder;
import io.pretext.model.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BYOL's target under parameter averaging stays one consistent network. Each worker applies the moving average after
 * each of its steps and the trainer averages the targets with everything else; the average is linear, so with averaging
 * every minibatch: (1) one worker through Spark equals sequential training with the hook; (2) two workers given the
 * same minibatches hold exactly what one worker holds (their averaged online network and target are each worker's).
 */
class ByolParameterAveragingTest {
  private static final InputShape SHAPE = new InputShape(1, 8, 8);
  private static final int IMAGES = 4;
  private static final int STEPS = 4;
  private static final Byol BYOL = new Byol(ByolConfig.defaults());
  /** One step per round, STEPS steps in the run: the schedule of tau. */
  private static final RunPlan PLAN = new RunPlan(3, STEPS * IMAGES, 1, 1, IMAGES, 1, STEPS);

  private static ComputationGraph network() {
    return BYOL.build(Encoders.byName("small-cnn"), SHAPE, GraphSettings.of(3, OptimizerConfig.adamW(5e-3, 1e-4, 1, STEPS)));
  }

  private static List<MultiDataSet> batches() {
    Nd4j.getRandom().setSeed(21);
    List<MultiDataSet> out = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      out.add(BYOL.trainingBatch(ImageBatch.of(Nd4j.rand(DataType.FLOAT, 2 * IMAGES, 1, 8, 8), 2)));
    }
    return out;
  }

  private static ComputationGraph throughSpark(int workers) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
    ParameterAveraging trainer = new ParameterAveraging(sc, network(), BYOL, PLAN);
    for (MultiDataSet batch : batches()) {
      List<MultiDataSet> round = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        round.add(batch); // every worker gets the same minibatch
      }
      JavaRDD<MultiDataSet> rdd = sc.parallelize(round, workers);
      trainer.fitRound(rdd, null);
    }
    return trainer.network();
  }

  private static float[] target(ComputationGraph g) {
    List<INDArray> parts = new ArrayList<>();
    for (String v : MomentumEncoder.of(g, Byol.TARGET).onlineVertices()) {
      if (g.getVertex(v).numParams() > 0) {
        parts.add(g.getVertex(Byol.TARGET + v).params().reshape(-1));
      }
    }
    return Nd4j.concat(0, parts.toArray(INDArray[]::new)).toFloatVector();
  }

  @Test
  void oneWorkerEqualsSequentialTrainingWithTheMovingAverage() {
    ComputationGraph reference = network();
    float[] initialTarget = target(reference);
    WorkerSteps steps = BYOL.workerSteps(null, PLAN);
    for (MultiDataSet batch : batches()) {
      reference.fit(batch);
      steps.afterStep(reference, batch, null);
    }
    ComputationGraph spark = throughSpark(1);
    assertNotEquals(java.util.Arrays.toString(initialTarget), java.util.Arrays.toString(target(reference)), "the target moved");
    assertArrayEquals(target(reference), target(spark), 1e-5f, "target");
    assertArrayEquals(reference.params().toFloatVector(), spark.params().toFloatVector(), 1e-5f, "all parameters");
  }

  @Test
  void twoWorkersOnTheSameDataHoldTheTargetOfOneWorker() {
    ComputationGraph one = throughSpark(1);
    ComputationGraph two = throughSpark(2);
    float[] a = target(one);
    float[] b = target(two);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    // Stated tolerance: float32 averaging of two identical copies is exact up to rounding of (x + x) / 2.
    assertTrue(max <= 1e-6, "targets differ by up to " + max);
    assertArrayEquals(one.params().toFloatVector(), two.params().toFloatVector(), 1e-6f);
  }
}

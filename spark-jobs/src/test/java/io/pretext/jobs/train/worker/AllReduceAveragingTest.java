package io.pretext.jobs.train.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.train.DistributedTrainer;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.method.moco.Moco;
import io.pretext.model.method.moco.MocoConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The all-reduce trainer is parameter averaging without the driver, so with two workers it must train exactly what
 * the driver's trainer trains: the ring's float sum of two values is the driver's {@code a + b}, and both divide by two.
 * Checked over two segments of two rounds (a staged model in the middle of the epoch, the driver's copy loaded at its
 * end), for SimCLR (state = weights) and for MoCo (a queue that every round's workers extend, replicated on the
 * workers under all-reduce), in parameters, Adam state, iteration count, per-round loss and the method's state.
 */
class AllReduceAveragingTest {
  private static final InputShape SHAPE = new InputShape(1, 8, 8);
  private static final int ROUNDS = 4;
  private static final int FREQUENCY = 2;
  private static final int WORKERS = 2;

  @TempDir Path tmp;

  private static List<MultiDataSet> batches(MultiViewMethod method, int count, long seed) {
    List<MultiDataSet> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(method.trainingBatch(ImageBatch.of(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed + i), new long[] {4, 1, 8, 8})
          .castTo(DataType.FLOAT), 2)));
    }
    return out;
  }

  private record Trained(ComputationGraph network, MethodState state, double[] losses) {}

  private static Trained train(DistributedTrainer trainer, MethodState state, List<List<MultiDataSet>> rounds, JavaSparkContext sc) {
    double[] losses = new double[ROUNDS];
    long done = 0;
    while (done < ROUNDS) {
      int n = trainer.roundsPerCall(done, (int) (ROUNDS - done));
      List<JavaRDD<MultiDataSet>> data = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        data.add(sc.parallelize(rounds.get((int) done + i), WORKERS));
      }
      long first = done;
      int[] reported = {0};
      trainer.fitRounds(done, data, state, (i, stats) -> {
        assertEquals(reported[0]++, i, "rounds reported once each, in order");
        losses[(int) first + i] = stats.loss();
        assertTrue(stats.workerFitMillis() > 0 && stats.workerFitMillis() <= stats.wallMillis(), stats.toString());
      });
      assertEquals(n, reported[0]);
      done += n;
    }
    return new Trained(trainer.network(), state, losses);
  }

  private void compare(SslMethod method, ComputationGraph network, RunPlan plan, List<List<MultiDataSet>> rounds, float[] stateTolerance) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
    ParameterAveraging driver = new ParameterAveraging(sc, network.clone(), method, plan);
    Trained expected = train(driver, method.newState(plan), rounds, sc);
    driver.close();

    RunDirectory run = new RunDirectory(tmp.resolve("run").toUri().toString(), sc.hadoopConfiguration());
    AllReduceAveraging ring = new AllReduceAveraging(sc, network.clone(), method, plan, run, 2, false, new PrintWriter(new StringWriter()));
    assertEquals(2, ring.roundsPerCall(0, ROUNDS), "a segment ends at the checkpoint after 2 rounds");
    assertEquals(1, ring.roundsPerCall(1, ROUNDS - 1));
    Trained actual;
    try {
      actual = train(ring, method.newState(plan), rounds, sc);
      assertTrue(ring.stagedModel(ROUNDS).isPresent(), "the first worker wrote the model after the last segment");
      assertTrue(Files.exists(tmp.resolve("run/checkpoints/.tmp-staged-round-000002/model.zip")), "and after the first");
      assertFalse(ring.stagedModel(2).isPresent(), "only the newest segment's model is offered to the checkpoint");
    } finally {
      ring.close();
    }

    assertEquals(ROUNDS * FREQUENCY, actual.network().getConfiguration().getIterationCount());
    double moved = actual.network().params().sub(network.params()).amaxNumber().doubleValue();
    assertTrue(moved > 1e-3, "training moved the parameters by " + moved);
    assertEquals(0.0, actual.network().params().sub(expected.network().params()).amaxNumber().doubleValue(), 0.0,
        "parameters equal the driver trainer's");
    assertEquals(0.0, WorkerLoop.updaterState(actual.network()).sub(WorkerLoop.updaterState(expected.network())).amaxNumber().doubleValue(),
        0.0, "Adam state equals the driver trainer's");
    assertArrayEquals(expected.losses(), actual.losses(), 1e-5, "per-round losses");
    if (stateTolerance != null) {
      assertArrayEquals(expected.state().save(), actual.state().save(), "the method state equals the driver's, byte for byte");
    }
  }

  @Test
  void twoWorkersTrainWhatTheDriverTrains() {
    SimClr method = new SimClr(SimClrConfig.defaults());
    ComputationGraph network = method.build(Encoders.byName("small-cnn"), SHAPE, GraphSettings.of(7, OptimizerConfig.adamW(5e-3, 1e-4, 3, 12)));
    List<List<MultiDataSet>> rounds = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      rounds.add(batches(method, WORKERS * FREQUENCY, 100L * r));
    }
    compare(method, network, new RunPlan(7, ROUNDS * WORKERS * FREQUENCY * 4, 1, WORKERS, 4, FREQUENCY, ROUNDS), rounds, null);
  }

  @Test
  void mocoQueueIsReplicatedOnTheWorkersAndComesBackAsTheDriverWouldHaveIt() {
    Moco method = new Moco(new MocoConfig(0.2, 0.9, 64, 2, MocoConfig.defaults().head()));
    RunPlan plan = new RunPlan(7, ROUNDS * WORKERS * FREQUENCY * 4, 1, WORKERS, 4, FREQUENCY, ROUNDS);
    ComputationGraph network = method.build(Encoders.byName("small-cnn"), SHAPE, GraphSettings.of(7, OptimizerConfig.adamW(5e-3, 1e-4, 3, 12)));
    List<List<MultiDataSet>> rounds = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      rounds.add(batches(method, WORKERS * FREQUENCY, 100L * r));
    }
    compare(method, network, plan, rounds, new float[0]);
  }

  @Test
  void refusesMoreWorkersThanTaskSlots() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllReduceAveraging.requireSlots(sc, 3));
    assertTrue(e.getMessage().contains("local[N] for N >= 3"), e.getMessage());
  }
}

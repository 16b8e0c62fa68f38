package io.pretext.jobs.pretrain;

import static io.pretext.jobs.pretrain.Runs.crashAfter;
import static io.pretext.jobs.pretrain.Runs.latest;
import static io.pretext.jobs.pretrain.Runs.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.train.worker.ParameterAveraging;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.layers.CaptureVertex;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StepResult;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.moco.Moco;
import io.pretext.model.method.moco.MocoConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MoCo v2 on the real pretrain path and the real trainer: the queue is checkpointed and restored exactly (a one-worker
 * run stopped and resumed mid-epoch ends on the same loss, weights and queue as an uninterrupted one); the keys of
 * every worker's every step reach the driver's queue, in (step, worker) order, and the queue is never averaged; options
 * that cannot work are refused before anything is written.
 */
class MocoRunTest {
  @TempDir static Path tmp;
  static Path data;
  static SparkSession spark;

  @BeforeAll
  static void corpus() throws IOException {
    spark = SharedSpark.get();
    data = TinyCorpus.prepare(tmp.resolve("corpus"), 240);
  }

  static PretrainConfig config(Path run, boolean resume, String... more) {
    return Runs.config(List.of("--method", "moco", "--data", data.toString(), "--workers", "1", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--epochs", "2", "--lr", "2e-3", "--seed", "7", "--checkpoint-every", "3", "--keep-checkpoints",
        "2", "--queue-size", "96", "--bn-splits", "4", "--projection-hidden", "32", "--projection-dim", "16"), run, resume, more);
  }

  @Test
  void resumedMidEpochItEndsOnTheSameLossWeightsAndQueue() {
    Path whole = tmp.resolve("whole");
    PretrainJob.Result a = train(config(whole, false), List.of());
    Path cut = tmp.resolve("cut");
    // 7 rounds per epoch, checkpoints every 3: the crash after round 10 resumes from round 9, inside epoch 1
    assertThrows(RuntimeException.class, () -> train(config(cut, false), List.of(crashAfter(10))));
    assertEquals(9, latest(cut).info().roundsDone());
    PretrainJob.Result b = train(config(cut, true), List.of());
    assertTrue(b.resumed());
    assertEquals(14, b.roundsDone());
    Checkpoint ca = latest(whole);
    Checkpoint cb = latest(cut);
    var conf = spark.sparkContext().hadoopConfiguration();
    byte[] queueA = ca.loadState(conf);
    assertEquals(16 + 4 * 96 * 16, queueA.length, "the queue is in the checkpoint");
    assertArrayEquals(queueA, cb.loadState(conf), "the same queue");
    assertArrayEquals(ca.loadModel(conf).params().toFloatVector(), cb.loadModel(conf).params().toFloatVector(), 0f, "the same weights");
    assertEquals(a.finalLoss(), b.finalLoss(), 0.0, "the same loss");
  }

  @Test
  void optionsThatCannotWorkAreRefusedBeforeAnythingIsWritten() throws IOException {
    Path small = tmp.resolve("small-queue");
    IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> train(config(small, false, "--queue-size", "16"),
        List.of()));
    assertTrue(q.getMessage().contains("--queue-size") && q.getMessage().contains("32"), q.getMessage());
    assertFalse(Files.exists(small), "nothing written");

    Path split = tmp.resolve("bad-split");
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> train(config(split, false, "--bn-splits", "5"), List.of()));
    assertTrue(s.getMessage().contains("--bn-splits"), s.getMessage());
    assertFalse(Files.exists(split));

    Path run = tmp.resolve("resize");
    assertThrows(RuntimeException.class, () -> train(config(run, false), List.of(crashAfter(4))));
    byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
    RuntimeException r = assertThrows(RuntimeException.class, () -> train(config(run, true, "--queue-size", "128"), List.of()));
    assertTrue(r.getMessage().contains("--queue-size"), r.getMessage());
    assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")), "metrics untouched");
    assertEquals(3, latest(run).info().roundsDone(), "no checkpoint written");
  }

  /**
   * Two workers, two steps each, different minibatches: the driver's queue after the round is the queue before it
   * followed by worker 0's keys of step 0, worker 1's of step 0, worker 0's of step 1, worker 1's of step 1. Each
   * worker's keys are computed here independently, by training a copy of the network on that worker's minibatches
   * alone from the round's start.
   */
  @Test
  void everyWorkersKeysReachTheQueueInStepWorkerOrderAndItIsNeverAveraged() {
    InputShape shape = new InputShape(1, 8, 8);
    Moco moco = new Moco(new MocoConfig(0.2, 0.9, 64, 2, MocoConfig.defaults().head()));
    RunPlan plan = new RunPlan(3, 64, 1, 2, 4, 2, 4);
    ComputationGraph net = moco.build(Encoders.byName("small-cnn"), shape, GraphSettings.of(3, OptimizerConfig.adamW(5e-3, 1e-4, 1, 8)));
    MethodState queue = moco.newState(plan);
    float[] before = keys(queue);
    List<List<MultiDataSet>> perWorker = List.of(batches(moco, 10), batches(moco, 20));

    List<List<float[]>> expected = new ArrayList<>();
    for (List<MultiDataSet> mine : perWorker) {
      ComputationGraph copy = net.clone();
      WorkerSteps steps = moco.workerSteps(queue.forWorkers(), plan);
      List<float[]> keys = new ArrayList<>();
      for (MultiDataSet b : mine) {
        MultiDataSet batch = steps.beforeStep(copy, b);
        copy.fit(batch);
        INDArray k = ((CaptureVertex) copy.getVertex(Moco.KEYS)).captured();
        keys.add(k.div(k.norm2(true, 1)).dup().data().asFloat());
        steps.afterStep(copy, batch, stepOf(copy));
      }
      expected.add(keys);
    }

    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ParameterAveraging trainer = new ParameterAveraging(sc, net, moco, plan);
    List<MultiDataSet> all = new ArrayList<>(perWorker.get(0));
    all.addAll(perWorker.get(1));
    queue.onRoundEnd(trainer.fitRound(sc.parallelize(all, 2), queue.forWorkers()).contributions());
    trainer.close();
    float[] after = keys(queue);

    int rowsAdded = 4 * 8;
    int width = 64;
    float[] newest = java.util.Arrays.copyOfRange(after, after.length - rowsAdded * width, after.length);
    float[] want = concat(expected.get(0).get(0), expected.get(1).get(0), expected.get(0).get(1), expected.get(1).get(1));
    assertArrayEquals(want, newest, 1e-5f, "(step, worker) order, each worker's own keys, not averages");
    assertArrayEquals(java.util.Arrays.copyOfRange(before, rowsAdded * width, before.length),
        java.util.Arrays.copyOfRange(after, 0, after.length - rowsAdded * width), 0f, "the older keys moved up unchanged");
  }

  private static List<MultiDataSet> batches(Moco moco, long seed) {
    List<MultiDataSet> out = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      out.add(moco.trainingBatch(ImageBatch.of(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed + i), new long[] {8, 1, 8, 8}).castTo(DataType.FLOAT), 2)));
    }
    return out;
  }

  private static StepResult stepOf(ComputationGraph g) {
    return new StepResult() {
      @Override
      public double loss() {
        return g.score();
      }

      @Override
      public INDArray captured(String vertex) {
        return ((CaptureVertex) g.getVertex(vertex)).captured();
      }
    };
  }

  /** The keys of a MoCo state, read from its checkpoint bytes (16-byte header, then floats). */
  private static float[] keys(MethodState queue) {
    ByteBuffer b = ByteBuffer.wrap(queue.save());
    b.position(16);
    float[] out = new float[b.remaining() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  private static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}

package io.pretext.model.method.moco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.DatasetKind;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.layers.FusedBatchNorm;
import io.pretext.model.lifecycle.Merge;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StatePart;
import io.pretext.model.lifecycle.StepResult;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.Methods;
import io.pretext.model.method.ViewDefaults;
import io.pretext.model.momentum.MomentumEncoder;
import io.pretext.model.optim.OptimizerConfig;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** MoCo's graph, options, queue and worker steps on small-cnn at 8x8. */
class MocoTest {
  private static final InputShape SHAPE = new InputShape(1, 8, 8);
  private static final MocoConfig SMALL = new MocoConfig(0.2, 0.9, 16, 2, MocoConfig.defaults().head());
  private static final Moco MOCO = new Moco(SMALL);

  private static ComputationGraph graph() {
    return MOCO.build(Encoders.byName("small-cnn"), SHAPE, GraphSettings.of(5, OptimizerConfig.adamW(5e-3, 1e-4, 1, 10)));
  }

  private static INDArray views(int images, long seed) {
    return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), new long[] {2L * images, 1, 8, 8}).castTo(DataType.FLOAT);
  }

  private static RunPlan plan(int workers, int batch) {
    return new RunPlan(11, 1000, 1, workers, batch, 2, 3);
  }

  @Test
  void theKeyEncoderIsAFrozenCopyWithSplitBatchNorm() {
    ComputationGraph g = graph();
    ComputationGraphConfiguration conf = g.getConfiguration();
    MomentumEncoder key = MomentumEncoder.of(g, Moco.KEY);
    int splitKey = 0;
    for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
      GraphVertex v = e.getValue();
      boolean twin = e.getKey().startsWith(Moco.KEY);
      assertEquals(twin, v instanceof FrozenVertex, e.getKey() + " is frozen exactly when it is the key encoder's");
      GraphVertex inner = v instanceof FrozenVertex f ? f.getUnderlying() : v;
      if (inner instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FusedBatchNorm bn) {
        assertEquals(twin ? 2 : 1, bn.getGroups(), e.getKey());
        splitKey += twin ? 1 : 0;
      }
    }
    assertEquals(3, splitKey, "small-cnn's three batch norms, split in the key encoder");
    for (String v : key.onlineVertices()) {
      if (g.getVertex(v).numParams() > 0) {
        assertEquals(g.getVertex(v).params(), g.getVertex(Moco.KEY + v).params(), "key starts as a copy of " + v);
      }
    }
    assertEquals(List.of(Moco.INPUT, Moco.QUEUE), conf.getNetworkInputs());
  }

  @Test
  void aStepEnqueuesTheKeysTheStepComputedAndMovesTheKeyEncoder() {
    ComputationGraph g = graph();
    KeyQueue queue = (KeyQueue) MOCO.newState(plan(1, 4));
    MocoSteps steps = (MocoSteps) MOCO.workerSteps(queue.forWorkers(), plan(1, 4));
    MultiDataSet batch = steps.beforeStep(g, MOCO.trainingBatch(ImageBatch.of(views(4, 1), 2)));
    assertArrayEquals(new long[] {16, 64}, batch.getFeatures(1).shape(), "the queue is the second input");

    // what the key encoder makes of the views before the step, by a forward pass of our own (training mode, split BN)
    INDArray keys = g.feedForward(batch.getFeatures(), true).get(Moco.KEY + "proj_out").dup();
    INDArray expectedKeys = keys.div(keys.norm2(true, 1));
    MomentumEncoder key = MomentumEncoder.of(g, Moco.KEY);
    INDArray keyBefore = g.getVertex(Moco.KEY + "conv1").params().dup();
    g.fit(batch);
    INDArray queryAfter = g.getVertex("conv1").params().dup();
    steps.afterStep(g, batch, captured(g));

    assertArrayEquals(keyBefore.mul(0.9).add(queryAfter.mul(0.1)).toFloatVector(), g.getVertex(Moco.KEY + "conv1").params().toFloatVector(),
        1e-6f, "key <- m key + (1 - m) query");
    List<StatePart> parts = steps.endOfRound();
    StatePart sent = parts.stream().filter(p -> p.merge() == Merge.CONCAT).findFirst().orElseThrow();
    assertEquals(KeyQueue.KEYS, sent.name());
    assertArrayEquals(expectedKeys.dup().data().asFloat(), sent.blocks().get(0), 1e-5f, "the step's keys, normalised");
    assertTrue(parts.stream().anyMatch(p -> p.merge() == Merge.KEEP_DRIVER), "the worker's copy is declared as kept on the driver");

    float[] before = queue.keys();
    queue.onRoundEnd(new RoundContributions(Map.of(KeyQueue.KEYS,
        new RoundContributions.Merged(Merge.CONCAT, 64, sent.blocks().get(0), 1))));
    float[] after = queue.keys();
    assertEquals(before.length, after.length, "the queue keeps its length");
    for (int i = 0; i < 8 * 64; i++) {
      assertEquals(before[i + 8 * 64], after[i], "the oldest 8 keys left, the rest moved up");
      assertEquals(sent.blocks().get(0)[i], after[after.length - 8 * 64 + i], "the 8 new keys at the end");
    }
  }

  private static StepResult captured(ComputationGraph g) {
    return new StepResult() {
      @Override
      public double loss() {
        return g.score();
      }

      @Override
      public INDArray captured(String vertex) {
        return ((io.pretext.model.layers.CaptureVertex) g.getVertex(vertex)).captured();
      }
    };
  }

  @Test
  void theQueueStartsAsSeededUnitKeysAndRoundTripsThroughACheckpoint() {
    KeyQueue a = new KeyQueue(16, 8, 3);
    KeyQueue b = new KeyQueue(16, 8, 3);
    assertArrayEquals(a.keys(), b.keys(), "the same seed, the same queue");
    assertNotEquals(List.of(a.keys()[0]), List.of(new KeyQueue(16, 8, 4).keys()[0]), "another seed, another queue");
    float[] k = a.keys();
    for (int r = 0; r < 16; r++) {
      double n = 0;
      for (int j = 0; j < 8; j++) {
        n += k[r * 8 + j] * k[r * 8 + j];
      }
      assertEquals(1, n, 1e-5, "unit key " + r);
    }
    KeyQueue restored = new KeyQueue(16, 8, 99);
    restored.restore(a.save());
    assertArrayEquals(a.keys(), restored.keys());
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> new KeyQueue(32, 8, 3).restore(a.save()));
    assertTrue(wrong.getMessage().contains("--queue-size 32"), wrong.getMessage());
    byte[] cut = java.util.Arrays.copyOf(a.save(), 40);
    assertThrows(IllegalArgumentException.class, () -> restored.restore(cut));
    assertThrows(IllegalArgumentException.class, () -> restored.restore(new byte[] {1, 2, 3}));
  }

  @Test
  void appendKeepsTheNewestRows() {
    float[] q = {1, 2, 3, 4};
    assertArrayEquals(new float[] {3, 4, 5, 6}, KeyQueue.append(q, new float[] {5, 6}));
    assertArrayEquals(new float[] {7, 8, 9, 10}, KeyQueue.append(q, new float[] {5, 6, 7, 8, 9, 10}));
    assertArrayEquals(q, KeyQueue.append(q, new float[0]));
  }

  @Test
  void checkRefusesAQueueSmallerThanAStepsKeysAndSplitsThatDoNotDivide() {
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> MOCO.check(plan(2, 8)));
    assertTrue(small.getMessage().contains("--queue-size: '16'") && small.getMessage().contains("32"), small.getMessage());
    MOCO.check(plan(1, 8)); // 16 keys per step, queue 16
    Moco three = new Moco(new MocoConfig(0.2, 0.9, 64, 3, SMALL.head()));
    IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> three.check(plan(1, 4)));
    assertTrue(split.getMessage().contains("--bn-splits"), split.getMessage());
  }

  @Test
  void registeredAsMocoWithItsOptions() {
    Moco m = (Moco) Methods.withDefaults("moco");
    assertEquals(MocoConfig.defaults(), m.config());
    assertEquals(DatasetKind.IMAGE, m.dataKind());
    assertEquals(ViewDefaults.TWO_VIEWS, m.viewDefaults());
    assertThrows(IllegalArgumentException.class, () -> new MocoConfig(0.2, 1.0, 16, 1, SMALL.head()), "momentum 1 never moves");
    MethodState s = m.newState(plan(1, 4));
    assertInstanceOf(KeyQueue.class, s);
  }
}

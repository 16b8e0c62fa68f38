package io.pretext.model.method.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.ResNet;
import io.pretext.model.encoder.SmallCnn;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Fine-tuning's graph: the pretrained encoder copied exactly, frozen blocks left untouched by training while the rest
 * moves, the encoder's learning rate a fixed fraction of the head's, and labels checked against the classes.
 */
class FineTuneTest {
  private static final InputShape SHAPE = new InputShape(1, 8, 8);
  private static final GraphSettings SETTINGS = GraphSettings.of(3, OptimizerConfig.adamW(1e-2, 1e-4, 0, 100));

  private static ComputationGraph fineTune(FineTuneConfig config) {
    return new FineTune(config).build(new SmallCnn(), SHAPE, SETTINGS);
  }

  private static MultiDataSet batch(FineTune method, int n, long seed) {
    Nd4j.getRandom().setSeed(seed);
    String[] ids = new String[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "r" + i;
      labels[i] = i % 3;
    }
    return method.trainingBatch(new ImageBatch(Nd4j.rand(n, 1, 8, 8), ids, labels));
  }

  @Test
  void thePretrainedEncoderIsCopiedExactlyAndTheHeadStaysFresh() {
    ComputationGraph pretrained = new SimClr(SimClrConfig.defaults()).build(new SmallCnn(), SHAPE, GraphSettings.of(11, SETTINGS.optimizer()));
    ComputationGraph target = fineTune(FineTuneConfig.of(3));
    INDArray head = target.getLayer(FineTune.CLASSIFIER).getParam("W").dup();
    long copied = PretrainedEncoder.copy(pretrained, "representation", target);
    long expected = 0;
    for (String v : PretrainedEncoder.encoderVertices(target)) {
      Map<String, INDArray> params = target.getVertex(v).paramTable(false);
      if (params == null) {
        continue;
      }
      for (Map.Entry<String, INDArray> e : params.entrySet()) {
        assertEquals(pretrained.getVertex(v).paramTable(false).get(e.getKey()), e.getValue(), v + "/" + e.getKey());
        expected += e.getValue().length();
      }
    }
    assertEquals(expected, copied);
    assertTrue(copied > 90_000, "small-cnn's convolutions and batch norms: " + copied);
    assertEquals(head, target.getLayer(FineTune.CLASSIFIER).getParam("W"));

    ComputationGraph resnet = new FineTune(FineTuneConfig.of(3)).build(ResNet.resnet18Small(), SHAPE, SETTINGS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainedEncoder.copy(pretrained, "representation", resnet));
    assertTrue(e.getMessage().contains("another encoder"), e.getMessage());
  }

  @Test
  void frozenBlocksDoNotMoveAndTheOthersDo() {
    FineTune method = new FineTune(new FineTuneConfig(3, 1, false, 0.1, 0));
    ComputationGraph g = method.build(new SmallCnn(), SHAPE, SETTINGS);
    Map<String, INDArray> before = Map.of("conv1", g.getVertex("conv1").paramTable(false).get("W").dup(),
        "conv1_bn", g.getVertex("conv1_bn").paramTable(false).get("gamma").dup(),
        "conv2", g.getVertex("conv2").paramTable(false).get("W").dup(),
        FineTune.CLASSIFIER, g.getVertex(FineTune.CLASSIFIER).paramTable(false).get("W").dup());
    for (int i = 0; i < 3; i++) {
      g.fit(batch(method, 12, i));
    }
    assertEquals(before.get("conv1"), g.getVertex("conv1").paramTable(false).get("W"), "block 1 (conv1) is frozen");
    assertEquals(before.get("conv1_bn"), g.getVertex("conv1_bn").paramTable(false).get("gamma"), "block 1's batch norm is frozen");
    assertFalse(before.get("conv2").equals(g.getVertex("conv2").paramTable(false).get("W")), "block 2 trains");
    assertFalse(before.get(FineTune.CLASSIFIER).equals(g.getVertex(FineTune.CLASSIFIER).paramTable(false).get("W")), "the head trains");

    FineTune linear = new FineTune(new FineTuneConfig(3, 0, true, 0.1, 0));
    ComputationGraph h = linear.build(new SmallCnn(), SHAPE, SETTINGS);
    INDArray conv3 = h.getVertex("conv3").paramTable(false).get("W").dup();
    INDArray mean = h.getVertex("conv3_bn").paramTable(false).get("mean").dup();
    MultiDataSet b = batch(linear, 12, 9);
    h.fit(b);
    assertEquals(conv3, h.getVertex("conv3").paramTable(false).get("W"), "--frozen-encoder freezes the last block too");
    assertEquals(mean, h.getVertex("conv3_bn").paramTable(false).get("mean"), "a frozen batch norm keeps its running mean");
    // training mode sees the features inference sees: the representation is the same in both modes
    INDArray x = b.getFeatures(0);
    INDArray train = h.feedForward(new INDArray[] {x}, true, false).get("representation");
    INDArray infer = h.feedForward(new INDArray[] {x}, false, false).get("representation");
    assertEquals(infer, train, "a frozen encoder normalises with its running statistics while training");
  }

  @Test
  void theEncoderLearnsAtItsScaleOfTheHeadsRate() {
    ComputationGraph g = fineTune(new FineTuneConfig(3, 0, false, 0.25, 0));
    for (int it : new int[] {0, 10, 60}) {
      double head = rate(g, FineTune.CLASSIFIER, it);
      assertEquals(0.25 * head, rate(g, "conv2", it), 1e-12 * head);
      assertEquals(0.25 * head, rate(g, "conv3_bn", it), 1e-12 * head);
    }
    assertEquals(1e-2, rate(g, FineTune.CLASSIFIER, 0), 1e-12, "no warm-up in these settings: the peak at iteration 0");
  }

  private static double rate(ComputationGraph g, String layer, int iteration) {
    return rate(g.getConfiguration(), layer, iteration);
  }

  private static double rate(org.deeplearning4j.nn.conf.ComputationGraphConfiguration c, String layer, int iteration) {
    BaseLayer conf = (BaseLayer) ((LayerVertex) c.getVertices().get(layer)).getLayerConf().getLayer();
    return ((Adam) conf.getIUpdater()).getLearningRateSchedule().valueAt(iteration, 0);
  }

  @Test
  void withHeadFirstTheEncoderWaitsThenWarmsUpOnItsOwnScheduleAndSurvivesJson() {
    // 100 iterations, warm-up 10: the head alone for the first 20, then the encoder at 0.5 x over the last 80
    GraphSettings settings = GraphSettings.of(3, OptimizerConfig.adamW(1e-2, 1e-4, 10, 100));
    ComputationGraph g = new FineTune(new FineTuneConfig(3, 0, false, 0.5, 0.2)).build(new SmallCnn(), SHAPE, settings);
    org.deeplearning4j.nn.conf.ComputationGraphConfiguration json =
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
    io.pretext.model.optim.WarmupCosineSchedule after = io.pretext.model.optim.WarmupCosineSchedule.iterations(0.5e-2, 10, 80);
    for (int it : new int[] {0, 5, 19, 20, 25, 29, 30, 60, 99}) {
      double expected = it < 20 ? 0 : after.valueAt(it - 20, 0);
      assertEquals(expected, rate(g, "conv2", it), 1e-15, "iteration " + it);
      assertEquals(expected, rate(json, "conv2", it), 1e-15, "iteration " + it + " after JSON");
      assertEquals(io.pretext.model.optim.WarmupCosineSchedule.iterations(1e-2, 10, 100).valueAt(it, 0), rate(g, FineTune.CLASSIFIER, it),
          1e-15, "the head keeps the run's schedule");
    }
    assertEquals(0.5e-2, rate(g, "conv2", 29), 1e-15, "the encoder's warm-up peaks ten iterations after it starts");
  }

  @Test
  void blocksAreCountedAsTheEncoderDefinesThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fineTune(new FineTuneConfig(3, 4, false, 0.1, 0)));
    assertTrue(e.getMessage().contains("allowed: 0..3") && e.getMessage().contains("conv1, conv2, conv3"), e.getMessage());
    assertEquals("s1b2", ResNet.resnet18Small().blockOf("s1b2_bn1"));
    assertEquals("conv2", new SmallCnn().blockOf("conv2_bn"));
    assertEquals("block_1", io.pretext.model.encoder.Bert.tiny().blockOf("block_1"));
    assertEquals("embeddings", io.pretext.model.encoder.Bert.tiny().blockOf("token_table"));
    assertEquals(List.of("conv1", "conv1_bn"), List.copyOf(EncoderBlocks.first(Map.of("conv1", List.of("conv1", "conv1_bn")), 1)));
  }

  @Test
  void labelsOutsideTheClassesAndBadOptionsAreRefused() {
    FineTune method = new FineTune(FineTuneConfig.of(3));
    ImageBatch bad = new ImageBatch(Nd4j.rand(2, 1, 8, 8), new String[] {"a", "b"}, new int[] {0, 3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> method.trainingBatch(bad));
    assertTrue(e.getMessage().contains("record b has label 3"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> method.trainingBatch(new ImageBatch(Nd4j.rand(2, 1, 8, 8), new String[] {"a", "b"}, null)));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneConfig(1, 0, false, 0.1, 0)).getMessage().contains("--classes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneConfig(3, 0, false, 0, 0)).getMessage().contains("--encoder-lr-scale"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneConfig(3, 1, true, 0.1, 0)).getMessage().contains("--frozen-encoder"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneConfig(3, 0, false, 0.1, 1)).getMessage().contains("--head-first"));
  }
}

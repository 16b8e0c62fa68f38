package io.pretext.model.backend;

import static io.pretext.model.testing.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.SmallCnn;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import io.pretext.model.testing.ArrayAssertions;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * oneDNN layer helpers: attached to the convolutions by default in the oneDNN build, absent in the portable build,
 * and numerically equivalent to DL4J's built-in layers for SimCLR + {@code small-cnn} (forward output, loss, every
 * gradient, and the parameters and batch-norm running statistics after one update). Batch norm is Pretext's
 * {@link io.pretext.model.layers.FusedBatchNorm} on both sides (compared with DL4J's own in FusedBatchNormTest).
 */
class OneDnnHelpersTest {

  /** Set by surefire from the Maven property {@code nd4j.classifier} (parent pom). */
  private static final String CLASSIFIER = System.getProperty("pretext.nd4j.classifier", "");

  private static final InputShape SHAPE = InputShape.greyscale(28, 28);
  private static final java.util.List<String> CONVOLUTIONS = java.util.List.of("conv1", "conv2", "conv3");
  private static final java.util.List<String> BATCH_NORMS = java.util.List.of("conv1_bn", "conv2_bn", "conv3_bn");
  private static final SimClr SIMCLR = new SimClr(SimClrConfig.defaults());
  private static final GraphSettings SETTINGS =
      new GraphSettings(7, DataType.FLOAT, OptimizerConfig.adamW(1e-3, 1e-4, 0, 10));

  @Test
  void buildAttachesOneDnnHelpersExactlyInTheOneDnnBuild() {
    ComputationGraph g = SIMCLR.build(new SmallCnn(), SHAPE, SETTINGS);
    Map<String, String> helpers = LayerHelpers.helpersByLayer(g);
    assertEquals(6, helpers.size(), "conv and BN layers of small-cnn: " + helpers);
    if (CLASSIFIER.contains("onednn")) {
      assertTrue(LayerHelpers.oneDnnActive(), "nd4j-native:" + CLASSIFIER + " should report oneDNN in use");
      assertTrue(LayerHelpers.allOneDnn(g), "nd4j-native:" + CLASSIFIER
          + " is a oneDNN build but layers run DL4J's built-in code (shim org.nd4j.nativeblas.Nd4jCpu or "
          + LayerHelpers.DISABLE_PROPERTY + " broken?): " + helpers);
    } else {
      assertTrue(CONVOLUTIONS.stream().allMatch(c -> LayerHelpers.BUILTIN.equals(helpers.get(c))),
          "nd4j-native:" + CLASSIFIER + " has no oneDNN, convolutions should be built-in: " + helpers);
    }
    assertTrue(BATCH_NORMS.stream().allMatch(b -> LayerHelpers.FUSED.equals(helpers.get(b))),
        "batch norm is Pretext's fused layer on every build: " + helpers);
  }

  @Test
  void oneDnnMatchesBuiltInForwardGradientsAndUpdate() {
    assumeTrue(LayerHelpers.oneDnnActive(), "libnd4j without oneDNN: nothing to compare");
    ComputationGraphConfiguration conf = SIMCLR.configure(new SmallCnn(), SHAPE, SETTINGS);
    ComputationGraph builtin = init(conf, false);
    ComputationGraph onednn = init(conf, true);
    assertTrue(CONVOLUTIONS.stream().allMatch(c -> LayerHelpers.BUILTIN.equals(LayerHelpers.helpersByLayer(builtin)
        .get(c))), LayerHelpers.helpersByLayer(builtin).toString());
    assertTrue(LayerHelpers.allOneDnn(onednn), LayerHelpers.helpersByLayer(onednn).toString());
    onednn.setParams(builtin.params().dup());

    INDArray views = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), SHAPE.batchShape(32))
        .castTo(DataType.FLOAT);
    MultiDataSet batch = SIMCLR.trainingBatch(ImageBatch.of(views, 2));

    assertClose("inference representation", builtin.feedForward(views, false).get(SIMCLR.representationVertex()),
        onednn.feedForward(views, false).get(SIMCLR.representationVertex()), 1e-4);
    assertClose("training-mode representation",
        builtin.feedForward(views, true).get(SIMCLR.representationVertex()),
        onednn.feedForward(views, true).get(SIMCLR.representationVertex()), 1e-4);

    builtin.setInputs(batch.getFeatures());
    builtin.setLabels(batch.getLabels());
    builtin.computeGradientAndScore();
    onednn.setInputs(batch.getFeatures());
    onednn.setLabels(batch.getLabels());
    onednn.computeGradientAndScore();
    assertEquals(builtin.score(), onednn.score(), 1e-5 * Math.abs(builtin.score()), "NT-Xent loss");
    Map<String, INDArray> gb = builtin.gradient().gradientForVariable();
    Map<String, INDArray> go = onednn.gradient().gradientForVariable();
    assertEquals(gb.keySet(), go.keySet());
    for (String k : gb.keySet()) {
      assertClose("gradient " + k, gb.get(k), go.get(k), 2e-3);
    }

    builtin.fit(batch);
    onednn.fit(batch);
    for (String layer : new String[] {"conv1", "conv1_bn", "conv2", "conv2_bn", "conv3", "conv3_bn"}) {
      Map<String, INDArray> pb = builtin.getLayer(layer).paramTable();
      Map<String, INDArray> po = onednn.getLayer(layer).paramTable();
      for (String k : pb.keySet()) {
        assertClose("after one update, " + layer + "." + k, pb.get(k), po.get(k), 1e-4);
      }
    }
  }

  @Test
  void forwardCacheIsOnWithOneDnnAndChangesNoResult() {
    ComputationGraphConfiguration conf = SIMCLR.configure(new SmallCnn(), SHAPE, SETTINGS);
    assertCacheMode(CLASSIFIER.contains("onednn") ? CacheMode.DEVICE : CacheMode.NONE, conf);
    assertEquals(CacheMode.NONE, SIMCLR.configure(new SmallCnn(), SHAPE, SETTINGS.withDataType(DataType.DOUBLE))
        .getCacheMode(), "DOUBLE graphs never run on the oneDNN helpers");
    assertEquals(CacheMode.NONE, withHelpers(false, () -> SIMCLR.configure(new SmallCnn(), SHAPE, SETTINGS))
        .getCacheMode(), "helpers disabled by the user: built-in layers, no cache");

    ComputationGraph cached = init(conf, true);
    ComputationGraph uncached = init(conf, true);
    uncached.getConfiguration().setCacheMode(CacheMode.NONE);
    uncached.setCacheMode(CacheMode.NONE);
    MultiDataSet batch = SIMCLR.trainingBatch(ImageBatch.of(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(5),
        SHAPE.batchShape(16)).castTo(DataType.FLOAT), 2));
    for (int step = 0; step < 3; step++) {
      cached.fit(batch);
      uncached.fit(batch);
    }
    assertClose("parameters after 3 updates with and without the forward cache", uncached.params(),
        cached.params(), 1e-6);
  }

  @Test
  void adaptCacheModeGivesARestoredGraphThisMachinesMode() {
    ComputationGraph graph = SIMCLR.build(new SmallCnn(), SHAPE, SETTINGS);
    graph.getConfiguration().setCacheMode(CacheMode.HOST); // as if written elsewhere with another mode
    withHelpers(false, () -> {
      GraphSettings.adaptCacheMode(graph);
      return null;
    });
    assertCacheMode(CacheMode.NONE, graph.getConfiguration());
    GraphSettings.adaptCacheMode(graph);
    assertCacheMode(CLASSIFIER.contains("onednn") ? CacheMode.DEVICE : CacheMode.NONE, graph.getConfiguration());
  }

  private static void assertCacheMode(CacheMode expected, ComputationGraphConfiguration conf) {
    assertEquals(expected, conf.getCacheMode(), "graph cache mode");
    for (GraphVertex v : conf.getVertices().values()) {
      if (v instanceof LayerVertex lv) {
        assertEquals(expected, lv.getLayerConf().getCacheMode(), "cache mode of " + lv.getLayerConf().getLayer());
      }
    }
  }

  private static ComputationGraph init(ComputationGraphConfiguration conf, boolean helpers) {
    return withHelpers(helpers, () -> {
      ComputationGraph g = new ComputationGraph(conf.clone());
      g.init();
      return g;
    });
  }

  private static <T> T withHelpers(boolean helpers, Supplier<T> action) {
    return ArrayAssertions.withProperty(LayerHelpers.DISABLE_PROPERTY, Boolean.toString(!helpers), action);
  }
}

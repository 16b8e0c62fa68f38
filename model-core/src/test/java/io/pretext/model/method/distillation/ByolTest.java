package io.pretext.model.method.distillation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.DatasetKind;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.EncoderOutput;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.encoder.SmallCnn;
import io.pretext.model.head.ProjectionHead;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.Methods;
import io.pretext.model.momentum.MomentumEncoder;
import io.pretext.model.optim.OptimizerConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * BYOL's graph: the target starts as a copy of the online network, is frozen (no gradient, no optimiser state), runs
 * its batch norm in training mode, moves only by the moving average, and survives a checkpoint round trip; the whole
 * graph passes a double-precision gradient check on the online parameters.
 */
class ByolTest {
  private static final InputShape SHAPE = new InputShape(1, 8, 8);
  private static final Byol BYOL = new Byol(new ByolConfig(new ProjectionHead(List.of(32), 16, true),
      new ProjectionHead(List.of(32), 16, true), 0.9));

  private static GraphSettings settings(DataType type) {
    return new GraphSettings(5, type, OptimizerConfig.adamW(1e-2, 1e-4, 1, 50));
  }

  private static INDArray views(long seed, int n, DataType type) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(type, 2L * n, SHAPE.channels(), SHAPE.height(), SHAPE.width());
  }

  /** The parameters of every vertex whose name starts with {@code prefix} (or not), concatenated in name order. */
  private static INDArray params(ComputationGraph g, boolean target) {
    List<INDArray> parts = g.paramTable().entrySet().stream()
        .filter(e -> e.getKey().startsWith(Byol.TARGET) == target)
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getValue().reshape(-1).dup())
        .collect(Collectors.toList());
    return Nd4j.concat(0, parts.toArray(INDArray[]::new));
  }

  @Test
  void targetStartsAsACopyAndIsFrozen() {
    ComputationGraph g = BYOL.build(new SmallCnn(), SHAPE, settings(DataType.FLOAT));
    MomentumEncoder target = MomentumEncoder.of(g, Byol.TARGET);
    assertTrue(target.onlineVertices().contains(SmallCnn.REPRESENTATION) && target.onlineVertices().contains(Byol.PROJECTION));
    assertFalse(target.onlineVertices().contains(Byol.PREDICTION), "the predictor has no target twin");
    for (String v : target.onlineVertices()) {
      assertInstanceOf(FrozenVertex.class, g.getConfiguration().getVertices().get(Byol.TARGET + v), v);
      if (g.getVertex(v).numParams() > 0) {
        assertEquals(g.getVertex(v).params(), g.getVertex(Byol.TARGET + v).params(), v);
      }
    }
    long onlineTrainable = g.getUpdater().getStateViewArray().length();
    long online = params(g, false).length();
    assertTrue(onlineTrainable <= 2 * online, "Adam keeps state for the online network only: " + onlineTrainable + " vs " + online);
  }

  @Test
  void aStepMovesTheOnlineNetworkNotTheTargetAndTheHookAppliesTheMovingAverage() {
    ComputationGraph g = BYOL.build(new SmallCnn(), SHAPE, settings(DataType.FLOAT));
    INDArray targetBefore = params(g, true);
    Map<String, INDArray> onlineBefore = new TreeMap<>();
    g.paramTable().forEach((k, v) -> {
      if (!k.startsWith(Byol.TARGET)) {
        onlineBefore.put(k, v.dup());
      }
    });
    MultiDataSet batch = BYOL.trainingBatch(ImageBatch.of(views(1, 6, DataType.FLOAT), 2));
    g.fit(batch);
    assertEquals(targetBefore, params(g, true), "the loss's gradient never reaches the target");
    // Every online parameter array moved, the encoder's first layer and the predictor included: one frozen or cut off
    // from the loss would stay as it was (the whole network changing would not show it).
    onlineBefore.forEach((k, v) -> assertNotEquals(v, g.getParam(k), "online parameter " + k + " did not train"));

    long total = 40;
    g.getConfiguration().setIterationCount(10);
    BYOL.workerSteps(null, plan(total)).afterStep(g, batch, null);
    double tau = BYOL.config().tauAt(10, total);
    MomentumEncoder target = MomentumEncoder.of(g, Byol.TARGET);
    ComputationGraph reference = BYOL.build(new SmallCnn(), SHAPE, settings(DataType.FLOAT));
    for (String v : target.onlineVertices()) {
      if (g.getVertex(v).numParams() == 0) {
        continue;
      }
      INDArray theta = g.getVertex(v).params();
      INDArray before = reference.getVertex(Byol.TARGET + v).params(); // the same init: the target before the step
      INDArray expected = before.mul(tau).addi(theta.mul(1 - tau));
      assertArrayEquals(expected.toFloatVector(), g.getVertex(Byol.TARGET + v).params().toFloatVector(), 1e-6f, v);
    }
  }

  @Test
  void targetBatchNormRunsInTrainingMode() {
    // At initialisation the twins are equal, so in training mode their outputs are equal. A target forced into inference
    // mode (DL4J's FrozenLayer) would normalise with the running statistics (mean 0, variance 1) and differ.
    ComputationGraph g = BYOL.build(new SmallCnn(), SHAPE, settings(DataType.FLOAT));
    INDArray v = views(2, 8, DataType.FLOAT).muli(3).addi(1);
    Map<String, INDArray> acts = g.feedForward(v, true);
    assertArrayEquals(acts.get(Byol.PROJECTION).reshape(-1).toFloatVector(),
        acts.get(Byol.TARGET + Byol.PROJECTION).reshape(-1).toFloatVector(), 1e-5f);
    Map<String, INDArray> inference = g.feedForward(v, false);
    assertNotEquals(acts.get(Byol.PROJECTION), inference.get(Byol.PROJECTION), "the test input must be far from the running statistics");
  }

  @Test
  void tauRisesFromItsBaseToOneWithACosine() {
    ByolConfig c = ByolConfig.defaults();
    assertEquals(0.99, c.tauAt(0, 100), 1e-12);
    assertEquals(1 - 0.01 / 2, c.tauAt(50, 100), 1e-12);
    assertEquals(1.0, c.tauAt(100, 100), 1e-12);
  }

  @Test
  void checkpointRoundTripKeepsTheFrozenTargetAndItsWeights(@TempDir Path dir) throws Exception {
    ComputationGraph g = BYOL.build(new SmallCnn(), SHAPE, settings(DataType.FLOAT));
    g.fit(BYOL.trainingBatch(ImageBatch.of(views(4, 4, DataType.FLOAT), 2)));
    BYOL.workerSteps(null, plan(10)).afterStep(g, null, null);
    File file = dir.resolve("model.zip").toFile();
    ModelSerializer.writeModel(g, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
    assertEquals(g.params(), restored.params());
    assertInstanceOf(FrozenVertex.class, restored.getConfiguration().getVertices().get(Byol.TARGET + Byol.PROJECTION));
    INDArray probe = views(5, 3, DataType.FLOAT);
    assertEquals(BYOL.represent(g, probe), BYOL.represent(restored, probe));
  }

  @Test
  void registeredAsByolWithItsOptions() {
    Byol byol = (Byol) Methods.withDefaults("byol");
    assertEquals(ByolConfig.defaults(), byol.config());
    assertEquals(DatasetKind.IMAGE, byol.dataKind());
    // BYOL's asymmetric views (Grill et al. 2020, Table 6): blur 1.0 / 0.1, solarization 0 / 0.2
    assertEquals(List.of(1.0, 0.1), byol.viewDefaults().blurProb());
    assertEquals(List.of(0.0, 0.2), byol.viewDefaults().solarizeProb());
  }

  /** A plan whose workers take {@code total} optimiser steps in all. */
  private static RunPlan plan(long total) {
    return new RunPlan(0, 1, 1, 1, 1, Math.toIntExact(total), 1);
  }

  /** A one-layer encoder small enough for a gradient check of the whole BYOL graph. */
  private static final class TinyEncoder implements EncoderSpec {
    @Override
    public String name() {
      return "tiny";
    }

    @Override
    public int representationDim() {
      return 6;
    }

    @Override
    public DatasetKind kind() {
      return DatasetKind.IMAGE;
    }

    @Override
    public EncoderOutput addTo(GraphBuilder graph, String prefix, String input, ModelInput shape) {
      graph.addLayer(prefix + REPRESENTATION, new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), input);
      return new EncoderOutput(prefix + REPRESENTATION, 6);
    }
  }

  @Test
  void wholeGraphPassesAGradientCheckOnTheOnlineParameters() {
    // DL4J's GradientCheckUtil does the same check but takes minutes here; this loop is it, without the overhead.
    DataType previous = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      // Hidden widths 8: a prediction that is exactly 0 (every ReLU of a row off, the bias still 0) has no direction,
      // and the loss's gradient there is 1/normEps; wider layers make that case vanishingly unlikely for this seed.
      Byol tiny = new Byol(new ByolConfig(new ProjectionHead(List.of(8), 3, true), new ProjectionHead(List.of(8), 3, true), 0.9));
      InputShape shape = new InputShape(1, 2, 2);
      GraphSettings doubles = new GraphSettings(3, DataType.DOUBLE,
          new OptimizerConfig(OptimizerConfig.Algorithm.ADAM, 1e-3, 0, 0, 10));
      ComputationGraphConfiguration conf = tiny.configure(new TinyEncoder(), shape, doubles);
      // Gradient checks need plain SGD-free parameters: no updater on any layer.
      for (GraphVertex v : conf.getVertices().values()) {
        GraphVertex inner = v instanceof FrozenVertex f ? f.getUnderlying() : v;
        if (inner instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
          layer.setIUpdater(new NoOp());
        }
      }
      ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf.toJson()));
      g.init();
      MomentumEncoder.of(g, Byol.TARGET).copyOnline(g);
      // The target's parameters have no gradient by design; batch-norm running statistics are not trained parameters.
      Set<String> exclude = g.paramTable().keySet().stream()
          .filter(k -> k.startsWith(Byol.TARGET) || k.endsWith("_mean") || k.endsWith("_var") || k.endsWith("_log10stdev"))
          .collect(Collectors.toSet());
      Nd4j.getRandom().setSeed(9);
      INDArray input = Nd4j.rand(DataType.DOUBLE, 6, 1, 2, 2);
      MultiDataSet batch = tiny.trainingBatch(ImageBatch.of(input, 2));
      INDArray predictions = g.feedForward(input, true).get(Byol.PREDICTION);
      assertTrue(predictions.norm2(1).minNumber().doubleValue() > 1e-3, "every prediction has a direction: " + predictions);
      // Central differences of the (averaged) score against backprop divided by the minibatch, as DL4J's updater does.
      g.setInputs(batch.getFeatures());
      g.setLabels(batch.getLabels());
      g.computeGradientAndScore();
      Map<String, INDArray> analytic = g.gradient().gradientForVariable();
      int checked = 0;
      for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
        if (exclude.contains(e.getKey())) {
          continue;
        }
        INDArray p = e.getValue();
        // Up to 6 entries per parameter array, evenly spaced, first and last included.
        for (long i : java.util.stream.LongStream.rangeClosed(0, 5).map(k -> k * (p.length() - 1) / 5).distinct().toArray()) {
          double original = p.getDouble(i);
          p.putScalar(i, original + 1e-6);
          double plus = g.score(batch, true);
          p.putScalar(i, original - 1e-6);
          double minus = g.score(batch, true);
          p.putScalar(i, original);
          double numeric = (plus - minus) / 2e-6;
          double backprop = analytic.get(e.getKey()).getDouble(i) / input.size(0);
          double error = Math.abs(numeric - backprop);
          assertTrue(error < 1e-8 || error / (Math.abs(numeric) + Math.abs(backprop)) < 1e-5,
              e.getKey() + "[" + i + "]: backprop " + backprop + ", numeric " + numeric);
          checked++;
        }
      }
      assertTrue(checked > 50, "checked " + checked + " parameters");
    } finally {
      Nd4j.setDefaultDataTypes(previous, previous);
    }
  }
}

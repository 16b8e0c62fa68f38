package io.pretext.model.method.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.lifecycle.Merge;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StatePart;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.Methods;
import io.pretext.model.optim.OptimizerConfig;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The GAN on small-cnn with 8x8 images: the discriminator's minibatch, the generator's step (only the generator moves,
 * by exactly Adam's first step on the gradient of -log D(G(z)), and its loss falls against a fixed discriminator), the
 * state the workers send and the driver checkpoints, and sampling from it.
 */
class GanTest {
  private static final int N = 6;
  private static final GanConfig CONFIG = new GanConfig(5, 1e-2, io.pretext.model.decoder.ConvDecoder.defaults());
  private static final InputShape SHAPE = new InputShape(1, 8, 8);

  static ComputationGraph discriminator(Gan gan, DataType type) {
    return gan.build(Encoders.byName("small-cnn"), SHAPE, new GraphSettings(3, type, OptimizerConfig.adam(1e-3, 0, 100)));
  }

  static ImageBatch batch(long salt) {
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(salt), new long[] {N, 1, 8, 8}).castTo(DataType.FLOAT);
    String[] ids = new String[N];
    long[] streams = new long[N];
    for (int i = 0; i < N; i++) {
      ids[i] = "r" + i;
      streams[i] = salt * 1000 + i;
    }
    return new ImageBatch(x, ids, null, streams);
  }

  private static RunPlan plan() {
    return new RunPlan(7, 600, 1, 1, N, 10, 10);
  }

  @Test
  void isRegisteredAndRefusesBadOptions() {
    assertEquals(Gan.NAME, Methods.byName("gan").name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GanConfig(0, 2e-4, CONFIG.generator()));
    assertTrue(e.getMessage().contains("--noise-dim"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GanConfig(8, -1, CONFIG.generator()));
    assertTrue(e.getMessage().contains("--generator-lr"), e.getMessage());
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> new Gan(CONFIG).configure(Encoders.byName("small-cnn"), new InputShape(1, 10, 10), GraphSettings.of(1, OptimizerConfig.adam(1e-3, 0, 10))));
    assertTrue(odd.getMessage().contains("--resize"), odd.getMessage());
  }

  @Test
  void theDiscriminatorSeesRealThenGeneratedImagesWithTargetsOneThenZero() {
    Gan gan = new Gan(CONFIG);
    ComputationGraph d = discriminator(gan, DataType.FLOAT);
    ImageBatch b = batch(1);
    MultiDataSet raw = gan.trainingBatch(b);
    assertArrayEquals(new long[] {N, 5}, raw.getFeatures(1).shape(), "one noise row per record");
    assertEquals(raw.getFeatures(1), gan.trainingBatch(batch(1)).getFeatures(1), "noise is a function of the records' streams");
    WorkerSteps steps = gan.workerSteps(null, plan());
    MultiDataSet step = steps.beforeStep(d, raw);
    INDArray x = step.getFeatures(0);
    assertArrayEquals(new long[] {2 * N, 1, 8, 8}, x.shape());
    assertEquals(b.views(), x.get(NDArrayIndex.interval(0, N), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
    INDArray fake = x.get(NDArrayIndex.interval(N, 2 * N), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    assertTrue(fake.minNumber().doubleValue() >= 0 && fake.maxNumber().doubleValue() <= 1, "generated pixels are a sigmoid's");
    assertEquals(Nd4j.vstack(Nd4j.ones(DataType.FLOAT, N, 1), Nd4j.zeros(DataType.FLOAT, N, 1)), step.getLabels(0));
  }

  @Test
  void theGeneratorStepMovesOnlyTheGeneratorByAdamsFirstStep() {
    Gan gan = new Gan(CONFIG);
    ComputationGraph d = discriminator(gan, DataType.FLOAT);
    INDArray dBefore = d.params().dup();
    INDArray noise = gan.trainingBatch(batch(2)).getFeatures(1);
    GeneratorGraph g = GeneratorGraph.of(d, SHAPE, CONFIG, 7, 100, null);
    // the reference gradient: the generator's graph with the run's discriminator, summed over the batch by DL4J
    ComputationGraph gd = g.graph();
    for (org.deeplearning4j.nn.api.Layer l : d.getLayers()) {
      if (l.numParams() > 0) {
        gd.getLayer(l.conf().getLayer().getLayerName()).params().assign(l.params());
      }
    }
    gd.setInputs(noise);
    gd.setLabels(Nd4j.ones(DataType.FLOAT, N, 1));
    gd.computeGradientAndScore();
    INDArray grad = flatGenerator(gd, true).divi(N);
    INDArray before = g.generatorParameters();
    g.step(d, noise, 0, 0);
    INDArray delta = g.generatorParameters().sub(before);
    assertEquals(dBefore, d.params(), "the discriminator is not touched by the generator's step");
    // Adam's first step: m = (1 - b1) g, v = (1 - b2) g^2, bias-corrected: lr * g / (|g| + eps / sqrt(1 - b2)); batch
    // norm's running mean and variance move by their undivided DL4J "gradients" instead
    double lr = CONFIG.generatorLr();
    float[] gs = grad.data().asFloat();
    float[] ds = delta.dup('c').data().asFloat();
    boolean[] running = new boolean[gs.length];
    int offset = 0;
    for (String l : GeneratorGraph.PARAMETER_LAYERS) {
      long size = gd.getLayer(l).numParams();
      if (gd.getLayer(l).conf().getLayer() instanceof io.pretext.model.layers.FusedBatchNorm) {
        for (long i = size / 2; i < size; i++) {
          running[(int) (offset + i)] = true;
        }
      }
      offset += (int) size;
    }
    int checked = 0;
    int runningChecked = 0;
    for (int i = 0; i < gs.length; i++) {
      if (running[i]) {
        assertEquals(-gs[i] * N, ds[i], 1e-6, "running statistic " + i);
        runningChecked++;
      } else if (Math.abs(gs[i]) > 1e-4) {
        double expected = -lr * gs[i] / (Math.abs(gs[i]) + 1e-8 / Math.sqrt(1 - 0.999));
        assertEquals(expected, ds[i], 1e-6 + 1e-3 * Math.abs(expected), "parameter " + i);
        checked++;
      }
    }
    assertTrue(runningChecked > 0, "the generator has batch norm");
    assertTrue(checked > gs.length / 2, "checked " + checked + " of " + gs.length);
  }

  private static INDArray flatGenerator(ComputationGraph gd, boolean gradients) {
    List<INDArray> parts = GeneratorGraph.PARAMETER_LAYERS.stream()
        .map(l -> gradients ? gd.getLayer(l).getGradientsViewArray() : gd.getLayer(l).params())
        .map(a -> a.dup().reshape(1, a.length())).toList();
    return Nd4j.hstack(parts.toArray(INDArray[]::new));
  }

  @Test
  void theGeneratorLearnsToFoolAFixedDiscriminator() {
    Gan gan = new Gan(CONFIG);
    ComputationGraph d = discriminator(gan, DataType.FLOAT);
    INDArray noise = gan.trainingBatch(batch(3)).getFeatures(1);
    GeneratorGraph g = GeneratorGraph.of(d, SHAPE, CONFIG, 7, 1000, null);
    double first = g.step(d, noise, 0, 0);
    double last = first;
    for (int t = 1; t < 100; t++) {
      last = g.step(d, noise, t, 0);
    }
    assertTrue(last < 0.65 * first, "-log D(G(z)) " + first + " -> " + last);
  }

  @Test
  void workersSendTheGeneratorAveragedAndTheDriverCheckpointsIt() {
    Gan gan = new Gan(CONFIG);
    ComputationGraph d = discriminator(gan, DataType.FLOAT);
    WorkerSteps steps = gan.workerSteps(null, plan());
    MultiDataSet step = steps.beforeStep(d, gan.trainingBatch(batch(4)));
    d.fit(step);
    steps.afterStep(d, step, null);
    List<StatePart> parts = steps.endOfRound();
    assertEquals(List.of(Merge.AVERAGE, Merge.AVERAGE), parts.stream().map(StatePart::merge).toList());
    GeneratorState state = (GeneratorState) gan.newState(plan());
    assertEquals(0, state.save().length, "no generator before the first round");
    state.onRoundEnd(new RoundContributions(Map.of(
        GeneratorState.GENERATOR, new RoundContributions.Merged(Merge.AVERAGE, 1, parts.get(0).blocks().get(0), 1),
        GeneratorState.LOSS, new RoundContributions.Merged(Merge.AVERAGE, 1, parts.get(1).blocks().get(0), 1))));
    GeneratorState.Snapshot s = state.snapshot();
    assertEquals(SHAPE, s.shape());
    byte[] saved = state.save();
    GeneratorState restored = new GeneratorState();
    restored.restore(saved);
    assertArrayEquals(s.values(), restored.snapshot().values());

    // the next round's workers continue from it; sampling reads the same generator from the checkpoint's bytes
    GeneratorGraph next = GeneratorGraph.of(d, SHAPE, CONFIG, 99, 100, restored.snapshot());
    INDArray noise = gan.trainingBatch(batch(5)).getFeatures(1);
    INDArray sampled = GeneratorGraph.standalone(CONFIG, GeneratorState.read(saved), DataType.FLOAT).outputSingle(false, noise);
    // inference mode: the generator's batch norm on its running statistics, in both
    assertEquals(next.graph().feedForward(new INDArray[] {noise}, false).get(GeneratorGraph.PREFIX + io.pretext.model.decoder.ConvDecoder.ACTIVATION),
        sampled);
    INDArray a = gan.sample(d, saved, 4, 11);
    assertArrayEquals(new long[] {4, 1, 8, 8}, a.shape());
    assertEquals(a, gan.sample(d, saved, 4, 11), "samples are a function of the seed");
    assertNotEquals(a, gan.sample(d, saved, 4, 12));

    byte[] corrupt = saved.clone();
    corrupt[0] ^= 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GeneratorState().restore(corrupt));
    assertTrue(e.getMessage().contains("not a GAN generator"), e.getMessage());
    byte[] truncated = java.util.Arrays.copyOf(saved, saved.length - 4);
    assertThrows(IllegalArgumentException.class, () -> new GeneratorState().restore(truncated));
    byte[] nan = saved.clone();
    java.nio.ByteBuffer.wrap(nan).putFloat(12 + 4 * GeneratorState.HEADER, Float.NaN);
    e = assertThrows(IllegalArgumentException.class, () -> new GeneratorState().restore(nan));
    assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> gan.sample(d, new byte[0], 4, 1));
    assertTrue(e.getMessage().contains("no generator"), e.getMessage());
  }
}

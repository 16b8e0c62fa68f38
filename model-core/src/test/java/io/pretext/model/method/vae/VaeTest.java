package io.pretext.model.method.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.Methods;
import io.pretext.model.method.Reconstructor;
import io.pretext.model.optim.OptimizerConfig;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The VAE on small-cnn: its batches, its noise, training lowers the negative ELBO, reconstructions and samples. */
class VaeTest {
  private static final Vae VAE = new Vae(new VaeConfig(4, 1.0, 0.0, ConvDecoder.defaults()));
  private static final InputShape SHAPE = new InputShape(1, 8, 8);

  private static ComputationGraph graph() {
    return VAE.build(Encoders.byName("small-cnn"), SHAPE, GraphSettings.of(1, OptimizerConfig.adamW(5e-3, 0, 0, 100)));
  }

  /** Eight images: a bright square in one of the four quadrants, on a dark background, so the code has something to say. */
  private static INDArray images() {
    INDArray x = Nd4j.zeros(DataType.FLOAT, 8, 1, 8, 8).addi(0.1);
    for (int i = 0; i < 8; i++) {
      int top = (i % 2) * 4;
      int left = (i / 2 % 2) * 4;
      x.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(top, top + 4), NDArrayIndex.interval(left, left + 4))
          .assign(0.9);
    }
    return x;
  }

  private static long[] streams(int n, long salt) {
    long[] s = new long[n];
    for (int i = 0; i < n; i++) {
      s[i] = salt * 1000 + i;
    }
    return s;
  }

  @Test
  void isRegisteredAndReconstructs() {
    assertTrue(Methods.withDefaults("vae") instanceof Reconstructor);
    assertTrue(Methods.withDefaults("autoencoder") instanceof Reconstructor);
  }

  @Test
  void batchesCarryTheViewTheNoiseAndTheKlWeight() {
    INDArray x = images();
    String[] ids = {"a", "b", "c", "d", "e", "f", "g", "h"};
    MultiDataSet b = VAE.trainingBatch(new ImageBatch(x, ids, null, streams(8, 1)));
    assertEquals(x, b.getFeatures(0));
    assertArrayEquals(new long[] {8, 4}, b.getFeatures(1).shape());
    assertArrayEquals(new long[] {8, 64}, b.getLabels(0).shape());
    assertEquals(x.getDouble(0, 0, 1, 2), b.getLabels(0).getDouble(0, 10), 0.0, "flattened row-major");
    assertEquals(1.0, b.getLabels(1).getDouble(3, 0), 0.0);
    MultiDataSet again = VAE.trainingBatch(new ImageBatch(x, ids, null, streams(8, 1)));
    assertEquals(b.getFeatures(1), again.getFeatures(1), "the noise is a function of the streams");
    assertNotEquals(b.getFeatures(1), VAE.trainingBatch(new ImageBatch(x, ids, null, streams(8, 2))).getFeatures(1));
    // about standard normal: 8 x 4 draws
    double mean = b.getFeatures(1).meanNumber().doubleValue();
    assertTrue(Math.abs(mean) < 0.7, "noise mean " + mean);
    IllegalStateException none = assertThrows(IllegalStateException.class, () -> VAE.trainingBatch(new ImageBatch(x, ids, null)));
    assertTrue(none.getMessage().contains("streams"), none.getMessage());
  }

  @Test
  void trainingLowersTheNegativeElboAndTheReconstructionError() {
    ComputationGraph g = graph();
    INDArray x = images();
    Map<String, Double> before = VAE.heldOutSums(g, x, 7);
    String[] ids = {"a", "b", "c", "d", "e", "f", "g", "h"};
    // fresh noise every step, as every epoch has (the same noise every step would let the decoder memorise it)
    for (int i = 0; i < 200; i++) {
      g.fit(VAE.trainingBatch(new ImageBatch(x, ids, null, streams(8, i + 10))));
    }
    Map<String, Double> after = VAE.heldOutSums(g, x, 7);
    assertTrue(after.get("negativeElbo") < 0.8 * before.get("negativeElbo"), before + " -> " + after);
    assertTrue(after.get("squaredError") < 0.3 * before.get("squaredError"), before + " -> " + after);
    // a lower bound on -log p(x) >= the entropy of the targets: BCE of x with itself over 64 pixels
    double entropy = 0;
    for (double v : x.dup().data().asDouble()) {
      entropy -= v * Math.log(v) + (1 - v) * Math.log(1 - v);
    }
    assertTrue(after.get("negativeElbo") > entropy, "negative ELBO " + after.get("negativeElbo") + " above the targets' entropy " + entropy);
    INDArray r = VAE.reconstruct(g, x);
    assertArrayEquals(x.shape(), r.shape());
    // the reconstruction is the decoded posterior mean: decoding the codes through the decoder-only copy gives it again
    INDArray codes = VAE.encode(g, x);
    assertArrayEquals(new long[] {x.size(0), VAE.codeSize()}, codes.shape());
    assertEquals(r, VAE.decode(g, codes));
    INDArray s = VAE.sample(g, new byte[0], 5, 3);
    assertArrayEquals(new long[] {5, 1, 8, 8}, s.shape());
    assertTrue(s.minNumber().doubleValue() >= 0 && s.maxNumber().doubleValue() <= 1);
    assertEquals(s, VAE.sample(g, new byte[0], 5, 3), "samples are a function of the seed");
  }

  @Test
  void warmupSpansTheConfiguredEpochs() {
    Vae v = new Vae(new VaeConfig(4, 2.0, 1.5, ConvDecoder.defaults()));
    VaeSteps steps = (VaeSteps) v.workerSteps(null, new RunPlan(1, 1000, 3, 2, 10, 5, 10));
    ComputationGraph g = graph();
    INDArray x = images();
    MultiDataSet b = VAE.trainingBatch(new ImageBatch(x, new String[] {"a", "b", "c", "d", "e", "f", "g", "h"}, null, streams(8, 1)));
    g.getConfiguration().setIterationCount(37);
    steps.beforeStep(g, b);
    assertEquals(2.0 * 38 / 75, b.getLabels(1).getDouble(0, 0), 1e-6, "1.5 epochs of 10 rounds x 5 steps = 75 steps");
  }

  @Test
  void refusesImagesTheDecoderCannotMake() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VAE.configure(Encoders.byName("small-cnn"), new InputShape(1, 10, 10), GraphSettings.of(1, OptimizerConfig.adamW(1e-3, 0, 0, 1))));
    assertTrue(e.getMessage().contains("--resize"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new VaeConfig(0, 1, 1, ConvDecoder.defaults()));
    assertThrows(IllegalArgumentException.class, () -> new VaeConfig(4, 0, 1, ConvDecoder.defaults()));
  }
}

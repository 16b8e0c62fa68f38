package io.pretext.model.method.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.optim.OptimizerConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The autoencoder on small-cnn: shapes, the denoising corruption, and training that reconstructs. */
class AutoencoderTest {
  private static final String[] IDS = {"a", "b", "c", "d", "e", "f", "g", "h"};

  private static INDArray images() {
    return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(4), new long[] {8, 1, 12, 12}).castTo(DataType.FLOAT);
  }

  private static long[] streams(long salt) {
    long[] s = new long[8];
    for (int i = 0; i < 8; i++) {
      s[i] = salt * 100 + i;
    }
    return s;
  }

  @Test
  void reconstructsWhatItTrainsOn() {
    Autoencoder ae = new Autoencoder(new AutoencoderConfig(8, Corruption.NONE, ConvDecoder.defaults()));
    ComputationGraph g = ae.build(Encoders.byName("small-cnn"), new InputShape(1, 12, 12), GraphSettings.of(2, OptimizerConfig.adamW(1e-2, 0, 0, 200)));
    INDArray x = images();
    MultiDataSet b = ae.trainingBatch(new ImageBatch(x, IDS, null));
    assertEquals(x, b.getFeatures(0), "a plain autoencoder sees the clean view");
    assertEquals(ConvDecoder.flatten(x), b.getLabels(0));
    double before = ae.heldOutSums(g, x, 0).get("squaredError");
    for (int i = 0; i < 200; i++) {
      g.fit(b);
    }
    double after = ae.heldOutSums(g, x, 0).get("squaredError");
    INDArray r = ae.reconstruct(g, x);
    assertArrayEquals(x.shape(), r.shape());
    INDArray codes = ae.encode(g, x);
    assertArrayEquals(new long[] {x.size(0), 8}, codes.shape());
    assertEquals(r, ae.decode(g, codes), "decoding the codes through the decoder-only copy reconstructs");
    assertTrue(after < 0.25 * before, "squared error " + before + " -> " + after);
    // the training loss is the mean squared error per pixel (DL4J's LossMSE: per example the mean over outputs)
    g.setInputs(x);
    g.setLabels(ConvDecoder.flatten(x));
    g.computeGradientAndScore();
    assertEquals(after / x.length(), g.score(), 1e-4 + 1e-3 * after / x.length());
    assertFalse(io.pretext.model.method.ImageSampler.class.isAssignableFrom(ae.getClass()), "an autoencoder has no prior to sample");
  }

  @Test
  void denoisingCorruptsTheInputPerRecordAndKeepsTheCleanTarget() {
    Autoencoder dae = new Autoencoder(new AutoencoderConfig(8, new Corruption(Corruption.Kind.GAUSSIAN, 0.3), ConvDecoder.defaults()));
    INDArray x = images();
    MultiDataSet b = dae.trainingBatch(new ImageBatch(x, IDS, null, streams(1)));
    assertEquals(ConvDecoder.flatten(x), b.getLabels(0), "target: the clean view");
    INDArray noisy = b.getFeatures(0);
    assertNotEquals(x, noisy);
    assertTrue(noisy.minNumber().doubleValue() >= 0 && noisy.maxNumber().doubleValue() <= 1, "clipped to [0, 1]");
    double std = noisy.sub(x).stdNumber().doubleValue();
    assertTrue(std > 0.15 && std < 0.3, "noise std after clipping " + std);
    assertEquals(noisy, dae.trainingBatch(new ImageBatch(x, IDS, null, streams(1))).getFeatures(0), "a function of the streams");
    assertNotEquals(noisy, dae.trainingBatch(new ImageBatch(x, IDS, null, streams(2))).getFeatures(0));
    // one record's corruption depends on its stream only, not on its batch
    INDArray alone = new Corruption(Corruption.Kind.GAUSSIAN, 0.3).apply(x.get(NDArrayIndex.interval(3, 4)),
        new long[] {103});
    assertEquals(noisy.get(NDArrayIndex.interval(3, 4)), alone);
  }

  @Test
  void maskingZeroesAboutTheGivenFraction() {
    INDArray x = Nd4j.ones(DataType.FLOAT, 8, 1, 12, 12);
    INDArray masked = new Corruption(Corruption.Kind.MASK, 0.25).apply(x, streams(3));
    double zeroFraction = 1 - masked.sumNumber().doubleValue() / x.length();
    assertEquals(0.25, zeroFraction, 0.05, "1,152 pixels, each zeroed with p 0.25");
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> new Autoencoder(new AutoencoderConfig(8, new Corruption(Corruption.Kind.MASK, 0.25), ConvDecoder.defaults()))
            .trainingBatch(new ImageBatch(x, IDS, null)));
    assertTrue(none.getMessage().contains("streams"), none.getMessage());
  }

  @Test
  void refusesBadOptions() {
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> Corruption.Kind.parse("salt"));
    assertTrue(kind.getMessage().contains("--denoise") && kind.getMessage().contains("gaussian"), kind.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Corruption(Corruption.Kind.GAUSSIAN, 0));
    assertThrows(IllegalArgumentException.class, () -> new Corruption(Corruption.Kind.MASK, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new AutoencoderConfig(0, Corruption.NONE, ConvDecoder.defaults()));
  }

  @Test
  void decoderMakesTheImageSize() {
    for (InputShape s : new InputShape[] {new InputShape(1, 28, 28), new InputShape(3, 32, 32), new InputShape(3, 8, 16)}) {
      Autoencoder ae = new Autoencoder(AutoencoderConfig.defaults());
      ComputationGraph g = ae.build(Encoders.byName("small-cnn"), s, GraphSettings.of(1, OptimizerConfig.adamW(1e-3, 0, 0, 1)));
      INDArray x = Nd4j.rand(DataType.FLOAT, 2, s.channels(), s.height(), s.width());
      assertArrayEquals(x.shape(), ae.reconstruct(g, x).shape(), s.toString());
      assertEquals(s, ConvDecoder.imageShape(g, Autoencoder.RECONSTRUCTION));
    }
  }
}

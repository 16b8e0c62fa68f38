package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * A regression pin, not a correctness test: exact outputs for fixed seeds, recorded once from this code base's own
 * output (not from torchvision or any independent implementation). A wrong transform that was already wrong when the
 * values were recorded passes here; correctness is checked by the transforms' own tests (properties such as bounds,
 * involutions and identities, and independent reference implementations), e.g. {@link RandomResizedCropTest},
 * {@link HorizontalFlipTest}, {@link ColorJitterTest}, {@link HueRotationTest}, {@link GaussianBlurTest}.
 *
 * <p>What the pin is for: these numbers fix the random stream (ViewSeeds mixing, the order and number of draws in every
 * transform) and the arithmetic of every transform, so that the views of stored runs do not change unnoticed. If a
 * change makes this test fail, the views of every stored run change: that is allowed only deliberately, with the values
 * regenerated (print them from the same calls) and the change called out in the commit.
 */
class AugmentationRegressionPinTest {

  /** 28x28 grayscale byte pattern (deterministic, no RNG). */
  private static FloatImage grayInput() {
    byte[] b = new byte[28 * 28];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ((i * 37 + (i / 28) * 11) & 0xFF);
    }
    return FloatImage.fromBytes(b, 1, 28, 28);
  }

  /** 40x40 RGB byte pattern. */
  private static FloatImage rgbInput() {
    byte[] b = new byte[3 * 40 * 40];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ((i * 13 + (i / 40) * 7 + (i / 1600) * 50) & 0xFF);
    }
    return FloatImage.fromBytes(b, 3, 40, 40);
  }

  /** CRC32 over the big-endian IEEE bits of every float. */
  private static long crc(float[] d) {
    ByteBuffer bb = ByteBuffer.allocate(d.length * 4);
    for (float x : d) {
      bb.putFloat(x);
    }
    CRC32 c = new CRC32();
    c.update(bb.array());
    return c.getValue();
  }

  @Test
  void pinsSeedMixingRecordKeyAndACropBox() {
    assertEquals(-2679008285684226557L, ViewSeeds.mix(1, 2, 3, 4));
    assertEquals(-6337553890851093510L, ViewSeeds.recordKey("train/n01440764/img_0001.JPEG"));
    assertEquals(new CropBox(5, 1, 17, 19, false),
        new RandomResizedCrop(28, 28).sampleBox(28, 28, ViewSeeds.rng(2024, 3, 5, 0)));
  }

  @Test
  void pinsTheFashionMnistRecipesViews() {
    ViewGenerator gen = ViewGenerator.uniform(ViewRecipe.simclrSmall(28, 28, 1), 2, 2024L);
    long key = ViewSeeds.recordKey("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    FloatImage[] v = gen.views(grayInput(), 3, key);

    float[] v0 = v[0].data();
    assertEquals(0.5176471f, v0[0]);
    assertEquals(0.65399164f, v0[29]);
    assertEquals(0.25665265f, v0[400]);
    assertEquals(0.003921569f, v0[783]);
    assertEquals(780910666L, crc(v0));

    float[] v1 = v[1].data();
    assertEquals(0.7607843f, v1[0]);
    assertEquals(0.72436976f, v1[29]);
    assertEquals(0.50736296f, v1[400]);
    assertEquals(0.627451f, v1[783]);
    assertEquals(1622861939L, crc(v1));
  }
}

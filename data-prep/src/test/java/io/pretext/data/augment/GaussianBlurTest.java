package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GaussianBlurTest {

  @ParameterizedTest(name = "{0}ch {1}x{2} kernel {3} value {4}")
  @CsvSource({"1, 28, 28, 3, 0.3", "3, 32, 20, 23, 0.77", "1, 4, 4, 9, 1.0", "3, 1, 5, 5, 0.0", "1, 2, 2, 23, 0.5"})
  void constantImageStaysConstant(int c, int h, int w, int k, float value) {
    FloatImage in = TestImages.constant(c, h, w, value);
    for (long seed = 0; seed < 5; seed++) {
      FloatImage out = new GaussianBlur(k, 0.1, 2.0).apply(in, new SplittableRandom(seed));
      for (float v : out.data()) {
        assertEquals(value, v, 1e-6f);
      }
    }
  }

  @Test
  void kernelIsNormalizedSymmetricAndPeaked() {
    float[] k = GaussianBlur.fullKernel(23, 1.5);
    double sum = 0;
    for (float v : k) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-6);
    for (int i = 0; i < 11; i++) {
      assertEquals(k[i], k[22 - i]);
      assertTrue(k[i] < k[i + 1]);
    }
    // closed form of the centre weight relative to its neighbour: exp(-1 / (2 sigma^2))
    assertEquals(Math.exp(-1 / (2 * 1.5 * 1.5)), k[12] / k[11], 1e-6);
  }

  @ParameterizedTest(name = "sigma {0}")
  @CsvSource({"0.1", "0.5", "1.0", "2.0", "2.75", "5.0"})
  void truncatedKernelMatchesFullKernelWithinBound(double sigma) {
    float[] k = GaussianBlur.kernel(23, sigma);
    int expectedRadius = (int) Math.min(11, Math.ceil(4 * sigma));
    assertEquals(2 * expectedRadius + 1, k.length);
    FloatImage in = TestImages.random(3, 40, 30, 17);
    float[] truncated = GaussianBlur.blur(in, k).data();
    float[] full = GaussianBlur.blur(in, GaussianBlur.fullKernel(23, sigma)).data();
    for (int i = 0; i < full.length; i++) {
      assertEquals(full[i], truncated[i], 1e-4f);
    }
  }

  @Test
  void blurMatchesNaiveTwoDimensionalConvolution() {
    // Independent reference: direct 2-D sum with reflect indexing, in double.
    FloatImage in = TestImages.random(3, 9, 13, 8);
    float[] k = GaussianBlur.kernel(7, 1.2);
    int r = k.length / 2;
    FloatImage out = GaussianBlur.blur(in, k);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 9; y++) {
        for (int x = 0; x < 13; x++) {
          double s = 0;
          for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
              s += k[dy + r] * k[dx + r] * in.get(c, reflect(y + dy, 9), reflect(x + dx, 13));
            }
          }
          assertEquals(s, out.get(c, y, x), 1e-5);
        }
      }
    }
  }

  private static int reflect(int i, int n) {
    while (i < 0 || i >= n) {
      i = i < 0 ? -i : 2 * (n - 1) - i;
    }
    return i;
  }

  @Test
  void impulseSpreadsAndKeepsMassInTheInterior() {
    float[] d = new float[15 * 15];
    d[7 * 15 + 7] = 1f;
    FloatImage out = GaussianBlur.blur(FloatImage.of(1, 15, 15, d), GaussianBlur.kernel(5, 1.0));
    double sum = 0;
    for (float v : out.data()) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-6);
    float[] k = GaussianBlur.kernel(5, 1.0);
    assertEquals(k[2] * k[2], out.get(0, 7, 7), 1e-7f);
    assertEquals(k[1] * k[2], out.get(0, 6, 7), 1e-7f);
    assertEquals(0f, out.get(0, 7, 10));
  }

  @Test
  void reflectPaddingDoesNotRepeatTheEdge() {
    assertArrayEquals(new int[] {2, 1, 0, 1, 2, 3, 4, 3, 2}, GaussianBlur.reflectTable(5, 2));
    // kernel wider than the image: reflection keeps bouncing
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, GaussianBlur.reflectTable(2, 2));
    assertArrayEquals(new int[] {0, 0, 0}, GaussianBlur.reflectTable(1, 1));
  }

  @ParameterizedTest(name = "side {0} -> {1}")
  @CsvSource({"224, 23", "96, 9", "28, 3", "32, 3", "256, 25", "5, 1"})
  void simclrKernelSize(int side, int expected) {
    assertEquals(expected, GaussianBlur.kernelSizeFor(side, 0.1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "blurKernelSize, 4, 0.1, 2.0",
    "blurKernelSize, 0, 0.1, 2.0",
    "blurSigmaMin, 3, 0.0, 2.0",
    "blurSigmaMin, 3, 3.0, 2.0"
  })
  void invalidRejected(String name, int k, double s0, double s1) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(k, s0, s1));
    assertTrue(e.getMessage().startsWith(name + " = "), e.getMessage());
  }
}

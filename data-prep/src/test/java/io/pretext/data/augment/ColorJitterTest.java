package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ColorJitterTest {

  @ParameterizedTest(name = "{0}ch b={1} c={2} s={3} h={4}")
  @CsvSource({
    "3, 0.8, 0.8, 0.8, 0.2",
    "3, 2.0, 2.0, 2.0, 0.5",
    "1, 0.4, 0.4, 0.0, 0.0",
    "1, 3.0, 3.0, 0.0, 0.0",
    "3, 0.0, 0.0, 0.0, 0.5"
  })
  void outputStaysInUnitRangeAndKeepsShape(int c, double b, double ct, double s, double h) {
    ColorJitter j = new ColorJitter(b, ct, s, h);
    FloatImage in = TestImages.random(c, 9, 11, 21);
    boolean changed = false;
    for (long seed = 0; seed < 300; seed++) {
      FloatImage out = j.apply(in, new SplittableRandom(seed));
      assertTrue(out.sameShape(in));
      for (float v : out.data()) {
        assertTrue(v >= 0f && v <= 1f, "pixel " + v);
      }
      changed |= !out.equals(in);
    }
    assertTrue(changed, "jitter never changed the image");
  }

  /**
   * Strength 0 is the identity, bit for bit, for every seed, on gray and colour images, through {@code apply} and
   * through the in-place path {@link Compose} uses, and as SimCLR's jitter of strength 0.
   */
  @ParameterizedTest(name = "{0} channels")
  @ValueSource(ints = {1, 3})
  void zeroStrengthIsIdentity(int c) {
    for (long seed = 0; seed < 50; seed++) {
      FloatImage in = TestImages.random(c, 6, 7, seed);
      for (ColorJitter j : List.of(new ColorJitter(0, 0, 0, 0), ColorJitter.simclr(0))) {
        assertArrayEquals(in.data(), j.apply(in, new SplittableRandom(seed)).data(), "apply, seed " + seed);
        assertArrayEquals(in.data(), Compose.of(j, j).apply(in, new SplittableRandom(seed)).data(), "in place, seed " + seed);
      }
    }
  }

  @Test
  void brightnessOnlyScalesAllPixelsByOneFactor() {
    float[] d = new float[3 * 4 * 4];
    for (int i = 0; i < d.length; i++) {
      d[i] = 0.05f + 0.4f * i / d.length; // <= 0.45 so factors up to 2 never clamp
    }
    FloatImage in = FloatImage.of(3, 4, 4, d);
    FloatImage out = new ColorJitter(0.9, 0, 0, 0).apply(in, new SplittableRandom(8));
    float[] o = out.data();
    double f = o[0] / d[0];
    assertTrue(f >= 0.1 - 1e-6 && f <= 1.9 + 1e-6, "factor " + f);
    assertTrue(Math.abs(f - 1) > 1e-4, "factor should not be exactly 1 for this seed");
    for (int i = 0; i < d.length; i++) {
      assertEquals(f * d[i], o[i], 1e-5);
    }
  }

  @Test
  void contrastOnlyOnGrayscaleBlendsTowardTheMean() {
    FloatImage in = TestImages.random(1, 8, 8, 4);
    float[] d = in.data();
    double mean = Arrays.stream(toDouble(d)).average().orElseThrow();
    float[] o = new ColorJitter(0, 0.3, 0, 0).apply(in, new SplittableRandom(2)).data();
    // o = f*v + (1-f)*mean with f in [0.7, 1.3]; recover f from two mid-range pixels that
    // cannot have been clamped
    int lo = 0;
    int hi = 0;
    for (int i = 0; i < d.length; i++) {
      lo = Math.abs(d[i] - 0.35) < Math.abs(d[lo] - 0.35) ? i : lo;
      hi = Math.abs(d[i] - 0.65) < Math.abs(d[hi] - 0.65) ? i : hi;
    }
    double f = (o[hi] - o[lo]) / (d[hi] - d[lo]);
    assertTrue(f >= 0.7 - 1e-5 && f <= 1.3 + 1e-5, "factor " + f);
    for (int i = 0; i < d.length; i++) {
      double expected = Math.min(1, Math.max(0, f * d[i] + (1 - f) * mean));
      assertEquals(expected, o[i], 1e-5);
    }
  }

  @Test
  void saturationAndHueSkippedOnGrayscale() {
    FloatImage in = TestImages.random(1, 5, 5, 6);
    // only hue and saturation set: a 1-channel image must come back unchanged
    assertArrayEquals(in.data(), new ColorJitter(0, 0, 0.9, 0.5).apply(in, new SplittableRandom(1)).data());
  }

  @Test
  void hueOnlyPreservesPerPixelMaxAndMin() {
    FloatImage in = TestImages.random(3, 10, 10, 12);
    float[] d = in.data();
    int plane = 100;
    for (long seed = 0; seed < 20; seed++) {
      float[] o = new ColorJitter(0, 0, 0, 0.5).apply(in, new SplittableRandom(seed)).data();
      boolean moved = false;
      for (int i = 0; i < plane; i++) {
        float inMax = Math.max(d[i], Math.max(d[plane + i], d[2 * plane + i]));
        float inMin = Math.min(d[i], Math.min(d[plane + i], d[2 * plane + i]));
        float outMax = Math.max(o[i], Math.max(o[plane + i], o[2 * plane + i]));
        float outMin = Math.min(o[i], Math.min(o[plane + i], o[2 * plane + i]));
        assertEquals(inMax, outMax, 1e-5f, "value (V) must be preserved");
        assertEquals(inMin, outMin, 1e-5f, "V * (1 - S) must be preserved");
        moved |= Math.abs(o[i] - d[i]) > 1e-3;
      }
      assertTrue(moved, "hue shift changed nothing for seed " + seed);
    }
  }

  @Test
  void hueShiftOfOneThirdTurnsRedIntoGreenOrBlue() {
    // hue factor uniform in [-h, h]; pure red under any shift keeps V = 1, S = 1
    FloatImage red = FloatImage.of(3, 1, 1, new float[] {1f, 0f, 0f});
    float[] o = new ColorJitter(0, 0, 0, 0.5).apply(red, new SplittableRandom(0)).data();
    assertEquals(1f, Math.max(o[0], Math.max(o[1], o[2])), 1e-6f);
    assertEquals(0f, Math.min(o[0], Math.min(o[1], o[2])), 1e-6f);
  }

  @Test
  void grayPixelsAreFixedPointsOfHue() {
    FloatImage gray = TestImages.constant(3, 3, 3, 0.4f);
    assertArrayEquals(gray.data(), new ColorJitter(0, 0, 0, 0.5).apply(gray, new SplittableRandom(5)).data());
  }

  @Test
  void sameStreamRepeatsDifferentStreamDiffers() {
    FloatImage in = TestImages.random(3, 4, 4, 7);
    ColorJitter j = ColorJitter.simclr(1.0);
    FloatImage a = j.apply(in, new SplittableRandom(1));
    assertEquals(a, j.apply(in, new SplittableRandom(1)));
    assertFalse(a.equals(j.apply(in, new SplittableRandom(2))));
  }

  @Test
  void operationOrderIsAUniformPermutation() {
    java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
    SplittableRandom rng = new SplittableRandom(42);
    int n = 24_000;
    for (int i = 0; i < n; i++) {
      int perm = ColorJitter.permutation(rng);
      int seen = 0;
      for (int k = 0; k < 4; k++) {
        seen |= 1 << ((perm >>> (2 * k)) & 3);
      }
      assertEquals(0b1111, seen, "not a permutation: " + Integer.toBinaryString(perm));
      counts.merge(perm, 1, Integer::sum);
    }
    assertEquals(24, counts.size());
    for (int c : counts.values()) {
      assertTrue(c > 850 && c < 1150, "count " + c + " far from 1000");
    }
  }

  @Test
  void simclrStrength() {
    ColorJitter j = ColorJitter.simclr(0.5);
    assertEquals(0.4, j.brightness(), 1e-12);
    assertEquals(0.4, j.contrast(), 1e-12);
    assertEquals(0.4, j.saturation(), 1e-12);
    assertEquals(0.1, j.hue(), 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "brightness, -0.1, 0, 0, 0",
    "contrast, 0, -1, 0, 0",
    "saturation, 0, 0, NaN, 0",
    "hue, 0, 0, 0, 0.6",
    "hue, 0, 0, 0, -0.01"
  })
  void invalidStrengthRejected(String name, double b, double c, double s, double h) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ColorJitter(b, c, s, h));
    assertTrue(e.getMessage().startsWith(name + " = "), e.getMessage());
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}

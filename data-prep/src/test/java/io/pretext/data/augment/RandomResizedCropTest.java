package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RandomResizedCropTest {

  /**
   * For many seeds the box lies inside the image and is either the fallback center crop or a
   * sampled box whose unrounded area fraction and ratio were in range. w and h are rounded from
   * the sampled values, so the checks use the exact rounding bounds (w +- 0.5, h +- 0.5).
   */
  @ParameterizedTest(name = "{0}x{1} scale [{2}, {3}] ratio [{4}, {5}]")
  @CsvSource({
    "28, 28, 0.2, 1.0, 0.75, 1.3333333333333333",
    "28, 28, 0.08, 1.0, 0.75, 1.3333333333333333",
    "256, 256, 0.08, 1.0, 0.75, 1.3333333333333333",
    "256, 320, 0.05, 0.14, 0.75, 1.3333333333333333",
    "375, 500, 0.5, 0.5, 0.5, 2.0",
    "32, 32, 1.0, 1.0, 1.0, 1.0",
    "7, 50, 0.9, 1.0, 1.0, 1.0"
  })
  void boxInsideImageAndWithinRanges(int h, int w, double sMin, double sMax, double rMin, double rMax) {
    RandomResizedCrop crop = new RandomResizedCrop(24, 24, sMin, sMax, rMin, rMax);
    double area = (double) h * w;
    int fallbacks = 0;
    for (long seed = 0; seed < 2000; seed++) {
      CropBox b = crop.sampleBox(h, w, new SplittableRandom(seed));
      assertTrue(b.top() >= 0 && b.left() >= 0, b.toString());
      assertTrue(b.top() + b.height() <= h && b.left() + b.width() <= w, b.toString());
      if (b.fallback()) {
        fallbacks++;
        assertEquals(expectedFallback(h, w, rMin, rMax), b);
      } else {
        double bw = b.width();
        double bh = b.height();
        assertTrue((bw + 0.5) * (bh + 0.5) >= sMin * area - 1e-9, "area too small: " + b);
        assertTrue((bw - 0.5) * (bh - 0.5) <= sMax * area + 1e-9, "area too large: " + b);
        assertTrue((bw + 0.5) / (bh - 0.5) >= rMin - 1e-9, "ratio too small: " + b);
        assertTrue((bw - 0.5) / (bh + 0.5) <= rMax + 1e-9, "ratio too large: " + b);
      }
    }
    if (h == 7) {
      // square crops of >= 90% of a 7x50 image never fit: always the fallback
      assertEquals(2000, fallbacks);
    }
  }

  /** torchvision's center-crop fallback, written out independently. */
  private static CropBox expectedFallback(int h, int w, double rMin, double rMax) {
    double inRatio = (double) w / h;
    int cw = w;
    int ch = h;
    if (inRatio < rMin) {
      ch = (int) Math.round(w / rMin);
    } else if (inRatio > rMax) {
      cw = (int) Math.round(h * rMax);
    }
    return new CropBox((h - ch) / 2, (w - cw) / 2, ch, cw, true);
  }

  @Test
  void fallbackIsCenterCropWithClampedRatio() {
    CropBox b = new RandomResizedCrop(8, 8, 0.9, 1.0, 1.0, 1.0).sampleBox(7, 50, new SplittableRandom(1));
    assertEquals(new CropBox(0, 21, 7, 7, true), b);
  }

  @Test
  void sampledBoxesVary() {
    RandomResizedCrop crop = new RandomResizedCrop(28, 28);
    CropBox a = crop.sampleBox(28, 28, new SplittableRandom(1));
    boolean differs = false;
    for (long s = 2; s < 10 && !differs; s++) {
      differs = !a.equals(crop.sampleBox(28, 28, new SplittableRandom(s)));
    }
    assertTrue(differs);
  }

  @ParameterizedTest(name = "{0}ch {1}x{2} -> {3}x{4}")
  @CsvSource({"1, 28, 28, 28, 28", "3, 256, 256, 224, 224", "3, 100, 60, 96, 96", "1, 5, 9, 32, 16"})
  void outputShape(int c, int h, int w, int oh, int ow) {
    FloatImage in = TestImages.random(c, h, w, 3);
    for (long seed = 0; seed < 50; seed++) {
      FloatImage out = new RandomResizedCrop(oh, ow).apply(in, new SplittableRandom(seed));
      assertEquals(c, out.channels());
      assertEquals(oh, out.height());
      assertEquals(ow, out.width());
      for (float v : out.data()) {
        assertTrue(v >= 0f && v <= 1f + 1e-6f, "pixel " + v);
      }
    }
  }

  /**
   * Bilinear resampling of the sampled box reads only pixels inside it: every output pixel lies between the smallest and
   * the largest source pixel of the box (a convex combination of them). The source holds values in [0.25, 0.75] inside
   * the box and 0 and 1 outside, so one tap outside the box (an off-by-one in the box or the clamping) shows.
   */
  @ParameterizedTest(name = "{0}ch {1}x{2} -> {3}x{4}")
  @CsvSource({"1, 28, 28, 28, 28", "3, 40, 30, 16, 16", "3, 17, 53, 32, 24", "1, 9, 9, 40, 40"})
  void outputStaysWithinTheSourcePixelsOfTheCrop(int c, int h, int w, int oh, int ow) {
    RandomResizedCrop crop = new RandomResizedCrop(oh, ow);
    for (long seed = 0; seed < 200; seed++) {
      CropBox box = crop.sampleBox(h, w, new SplittableRandom(seed));
      SplittableRandom pixels = new SplittableRandom(1000 + seed);
      float[] d = new float[c * h * w];
      float[] min = new float[c];
      float[] max = new float[c];
      Arrays.fill(min, 1f);
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean inside = y >= box.top() && y < box.top() + box.height() && x >= box.left() && x < box.left() + box.width();
            float v = inside ? 0.25f + 0.5f * (float) pixels.nextDouble() : (x + y) % 2;
            d[(ch * h + y) * w + x] = v;
            if (inside) {
              min[ch] = Math.min(min[ch], v);
              max[ch] = Math.max(max[ch], v);
            }
          }
        }
      }
      FloatImage out = crop.apply(FloatImage.of(c, h, w, d), new SplittableRandom(seed));
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < oh; y++) {
          for (int x = 0; x < ow; x++) {
            float v = out.get(ch, y, x);
            assertTrue(v >= min[ch] - 1e-6f && v <= max[ch] + 1e-6f,
                "seed " + seed + " " + box + ": pixel (" + ch + ", " + y + ", " + x + ") = " + v + " outside [" + min[ch] + ", " + max[ch] + "]");
          }
        }
      }
    }
  }

  @Test
  void fullCropAtSameSizeIsExactIdentity() {
    FloatImage in = TestImages.random(3, 17, 23, 5);
    FloatImage out = RandomResizedCrop.resizeCrop(in, new CropBox(0, 0, 17, 23, false), 17, 23);
    assertArrayEquals(in.data(), out.data());
  }

  @Test
  void bilinearHalfPixelCentresUpscale() {
    // 1x2 row [0, 1] -> 1x4: source x = (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1]
    FloatImage in = FloatImage.of(1, 1, 2, new float[] {0f, 1f});
    FloatImage out = RandomResizedCrop.resizeCrop(in, new CropBox(0, 0, 1, 2, false), 1, 4);
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, out.data(), 1e-7f);
  }

  @Test
  void cropSelectsTheBoxRegion() {
    FloatImage in = TestImages.ramp(1, 10, 10);
    FloatImage out = RandomResizedCrop.resizeCrop(in, new CropBox(3, 4, 2, 5, false), 2, 5);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 5; x++) {
        assertEquals(in.get(0, 3 + y, 4 + x), out.get(0, y, x));
      }
    }
  }

  @Test
  void downscaleAveragesNeighbours() {
    // 1x4 [0, 1, 0, 1] -> 1x2: source x = 0.5 and 2.5 -> 0.5 each
    FloatImage in = FloatImage.of(1, 1, 4, new float[] {0f, 1f, 0f, 1f});
    FloatImage out = RandomResizedCrop.resizeCrop(in, new CropBox(0, 0, 1, 4, false), 1, 2);
    assertArrayEquals(new float[] {0.5f, 0.5f}, out.data(), 0f);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "outHeight, 0, 28, 0.08, 1.0, 0.75, 1.33",
    "outWidth, 28, 0, 0.08, 1.0, 0.75, 1.33",
    "scaleMin, 28, 28, 0.0, 1.0, 0.75, 1.33",
    "scaleMax, 28, 28, 0.08, 1.5, 0.75, 1.33",
    "scaleMin, 28, 28, 0.9, 0.5, 0.75, 1.33",
    "ratioMin, 28, 28, 0.08, 1.0, -1.0, 1.33",
    "ratioMin, 28, 28, 0.08, 1.0, 2.0, 1.33"
  })
  void invalidParametersRejected(String name, int oh, int ow, double s0, double s1, double r0, double r1) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RandomResizedCrop(oh, ow, s0, s1, r0, r1));
    assertTrue(e.getMessage().startsWith(name + " = "), e.getMessage());
  }

  @Test
  void notFallbackForOrdinaryImages() {
    RandomResizedCrop crop = new RandomResizedCrop(224, 224);
    assertFalse(crop.sampleBox(256, 256, new SplittableRandom(0)).fallback());
  }
}

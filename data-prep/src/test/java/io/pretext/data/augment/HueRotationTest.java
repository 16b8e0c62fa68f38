package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HueRotationTest {

  /** Reference: torchvision's _rgb2hsv / _hsv2rgb written with branches, in double. */
  private static double[] reference(double r, double g, double b, double shift) {
    double max = Math.max(r, Math.max(g, b));
    double min = Math.min(r, Math.min(g, b));
    double cr = max - min;
    if (cr == 0) {
      return new double[] {r, g, b};
    }
    double s = cr / max;
    double h;
    if (max == r) {
      h = (g - b) / cr;
    } else if (max == g) {
      h = 2 + (b - r) / cr;
    } else {
      h = 4 + (r - g) / cr;
    }
    h = h / 6 + shift;
    h -= Math.floor(h);
    double h6 = h * 6;
    int i = (int) Math.floor(h6) % 6;
    double f = h6 - Math.floor(h6);
    double v = max;
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    switch (i) {
      case 0: return new double[] {v, t, p};
      case 1: return new double[] {q, v, p};
      case 2: return new double[] {p, v, t};
      case 3: return new double[] {p, q, v};
      case 4: return new double[] {t, p, v};
      default: return new double[] {v, p, q};
    }
  }

  @ParameterizedTest(name = "shift {0}")
  @ValueSource(floats = {-0.5f, -0.2f, -0.01f, 0f, 0.1f, 1f / 3, 0.5f})
  void matchesBranchyReference(float shift) {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 1000;
    float[] px = new float[3 * n];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rng.nextDouble();
    }
    // edge cases: gray, black, white, primaries, two-way ties for the max
    float[][] edges = {{0.3f, 0.3f, 0.3f}, {0, 0, 0}, {1, 1, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
        {1, 1, 0}, {0, 1, 1}, {1, 0, 1}, {0.5f, 0.5f, 0.2f}, {0.2f, 0.7f, 0.7f}};
    for (int e = 0; e < edges.length; e++) {
      for (int c = 0; c < 3; c++) {
        px[c * n + e] = edges[e][c];
      }
    }
    float[] out = px.clone();
    HueRotation.rotate(out, n, shift);
    for (int i = 0; i < n; i++) {
      double[] ref = reference(px[i], px[n + i], px[2 * n + i], shift);
      for (int c = 0; c < 3; c++) {
        assertEquals(ref[c], out[c * n + i], 2e-6, "pixel " + i + " channel " + c);
      }
    }
  }
}

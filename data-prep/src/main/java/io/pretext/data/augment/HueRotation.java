package io.pretext.data.augment;

/**
 * Rotates the HSV hue of every pixel of a 3-channel CHW image, as torchvision's
 * {@code adjust_hue} ({@code _rgb2hsv}, add the shift mod 1, {@code _hsv2rgb}) up to float
 * rounding. Used by {@link ColorJitter}.
 *
 * <p>RGB to hue: with {@code max}, {@code min}, {@code C = max - min}, the hue in sixths of a turn
 * is {@code (g - b)/C} if {@code max == r}, else {@code 2 + (b - r)/C} if {@code max == g}, else
 * {@code 4 + (r - g)/C}. Back to RGB with the branch-free form of the HSV formula:
 * {@code channel(n) = max - C * clamp(min(k, 4 - k), 0, 1)}, {@code k = (n + 6H) mod 6},
 * n = 5, 3, 1 for R, G, B. Each pixel's max and min channel (V and V(1 - S)) are preserved; gray
 * pixels (C = 0) are fixed points.
 *
 * <p>Performance note: the loop is written without branches, selects being computed as
 * {@code mask * a + (1 - mask) * b} with 0/1 masks built from {@code min}/{@code max}, and over
 * three separate plane arrays indexed by the bare loop variable, so HotSpot 17 vectorizes it
 * (it vectorizes neither conditionals nor accesses at differing invariant offsets).
 */
final class HueRotation {
  /** Scales any positive float difference (>= 2^-149) to >= 1 without overflowing to NaN. */
  private static final float BIG_A = 0x1p100f;
  private static final float BIG_B = 0x1p50f;
  /** Floor for the chroma divisor; gray pixels then get a finite, irrelevant hue. */
  private static final float TINY = 0x1p-126f;

  private HueRotation() {}

  /** Pixels per chunk: the temporaries (about 10 x 4 KB) stay in L1. */
  private static final int CHUNK = 1024;

  /** Rotates hue by {@code shift} turns, in place; {@code chw} has 3 planes of {@code plane} pixels. */
  static void rotate(float[] chw, int plane, float shift) {
    float[] r = java.util.Arrays.copyOfRange(chw, 0, plane);
    float[] g = java.util.Arrays.copyOfRange(chw, plane, 2 * plane);
    float[] b = java.util.Arrays.copyOfRange(chw, 2 * plane, 3 * plane);
    rotate(r, g, b, shift);
    System.arraycopy(r, 0, chw, 0, plane);
    System.arraycopy(g, 0, chw, plane, plane);
    System.arraycopy(b, 0, chw, 2 * plane, plane);
  }

  /** Rotates hue by {@code shift} turns, in place, on three equally long channel planes. */
  static void rotate(float[] rPlane, float[] gPlane, float[] bPlane, float shift) {
    int plane = rPlane.length;
    float shift6 = 6f * shift;
    int n = Math.min(CHUNK, plane);
    float[] r = new float[n];
    float[] g = new float[n];
    float[] b = new float[n];
    float[] max = new float[n];
    float[] chroma = new float[n];
    float[] inv = new float[n];
    float[] isR = new float[n];
    float[] isG = new float[n];
    float[] h6 = new float[n];
    for (int start = 0; start < plane; start += CHUNK) {
      int len = Math.min(CHUNK, plane - start);
      System.arraycopy(rPlane, start, r, 0, len);
      System.arraycopy(gPlane, start, g, 0, len);
      System.arraycopy(bPlane, start, b, 0, len);
      // Many small loops instead of one big one: each is simple enough for SuperWord.
      for (int i = 0; i < len; i++) {
        float mx = Math.max(r[i], Math.max(g[i], b[i]));
        max[i] = mx;
        chroma[i] = mx - Math.min(r[i], Math.min(g[i], b[i]));
      }
      for (int i = 0; i < len; i++) {
        inv[i] = 1f / Math.max(chroma[i], TINY);
      }
      for (int i = 0; i < len; i++) {
        // 1 where max == r (resp. g), else 0
        isR[i] = 1f - Math.min(1f, (max[i] - r[i]) * BIG_A * BIG_B);
        isG[i] = 1f - Math.min(1f, (max[i] - g[i]) * BIG_A * BIG_B);
      }
      for (int i = 0; i < len; i++) {
        float hR = (g[i] - b[i]) * inv[i];
        float hG = 2f + (b[i] - r[i]) * inv[i];
        float hB = 4f + (r[i] - g[i]) * inv[i];
        h6[i] = isR[i] * hR + (1f - isR[i]) * (isG[i] * hG + (1f - isG[i]) * hB) + shift6;
      }
      for (int i = 0; i < len; i++) {
        // h6 in [-4, 8): wrap once in each direction into [0, 6)
        float h = h6[i];
        h += 6f * Math.min(1f, Math.max(0f, -h * BIG_A * BIG_B));
        h -= 6f * (1f - Math.min(1f, Math.max(0f, (6f - h) * BIG_A * BIG_B)));
        h6[i] = h;
      }
      channel(r, 5f, h6, max, chroma, len);
      channel(g, 3f, h6, max, chroma, len);
      channel(b, 1f, h6, max, chroma, len);
      System.arraycopy(r, 0, rPlane, start, len);
      System.arraycopy(g, 0, gPlane, start, len);
      System.arraycopy(b, 0, bPlane, start, len);
    }
  }

  /** {@code out = max - chroma * clamp(min(k, 4 - k), 0, 1)}, {@code k = (n + h6) mod 6}. */
  private static void channel(float[] out, float n, float[] h6, float[] max, float[] chroma, int len) {
    for (int i = 0; i < len; i++) {
      float k = n + h6[i];
      k -= 6f * (1f - Math.min(1f, Math.max(0f, (6f - k) * BIG_A * BIG_B)));
      float t = Math.min(Math.max(Math.min(k, 4f - k), 0f), 1f);
      out[i] = Math.min(Math.max(max[i] - chroma[i] * t, 0f), 1f);
    }
  }
}

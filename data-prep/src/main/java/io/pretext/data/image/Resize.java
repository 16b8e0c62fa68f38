package io.pretext.data.image;

/**
 * Deterministic antialiased resampling of 8-bit CHW images: resize so the shorter side is
 * {@code size}, then take the centred {@code size x size} crop (the usual ImageNet preprocessing,
 * e.g. 256 then centre crop). Implemented as a separable triangle (bilinear) filter whose support
 * widens with the downscale factor, like PIL's {@code Image.resize(BILINEAR, box=...)}; only the
 * source box that survives the crop is resampled.
 */
public final class Resize {
  private Resize() {}

  /** Shorter side to {@code size}, then centre crop to {@code size x size}. */
  public static DecodedImage shorterSideThenCenterCrop(DecodedImage in, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("resize size must be >= 1, got " + size);
    }
    int h = in.height();
    int w = in.width();
    if (h == size && w == size) {
      return in;
    }
    double scale = (double) size / Math.min(h, w);
    // Crop box in source coordinates: the centred size x size window of the scaled image.
    double boxH = size / scale;
    double boxW = size / scale;
    double y0 = (h - boxH) / 2.0;
    double x0 = (w - boxW) / 2.0;
    Taps rows = Taps.of(h, y0, boxH, size);
    Taps cols = Taps.of(w, x0, boxW, size);
    int c = in.channels();
    byte[] src = in.pixels();
    byte[] out = new byte[c * size * size];
    float[] tmp = new float[h * size];
    for (int ch = 0; ch < c; ch++) {
      int base = ch * h * w;
      // Horizontal pass: h rows x size columns.
      for (int y = 0; y < h; y++) {
        int rowBase = base + y * w;
        for (int x = 0; x < size; x++) {
          float acc = 0f;
          int start = cols.start[x];
          int off = x * cols.maxTaps;
          for (int k = 0; k < cols.count[x]; k++) {
            acc += cols.weight[off + k] * (src[rowBase + start + k] & 0xFF);
          }
          tmp[y * size + x] = acc;
        }
      }
      // Vertical pass: size rows x size columns.
      int outBase = ch * size * size;
      for (int y = 0; y < size; y++) {
        int start = rows.start[y];
        int off = y * rows.maxTaps;
        for (int x = 0; x < size; x++) {
          float acc = 0f;
          for (int k = 0; k < rows.count[y]; k++) {
            acc += rows.weight[off + k] * tmp[(start + k) * size + x];
          }
          int v = Math.round(acc);
          out[outBase + y * size + x] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    return new DecodedImage(c, size, size, out);
  }

  /** Filter taps along one axis: for output i, inputs start[i] .. start[i]+count[i]-1. */
  private static final class Taps {
    final int[] start;
    final int[] count;
    final float[] weight;
    final int maxTaps;

    private Taps(int[] start, int[] count, float[] weight, int maxTaps) {
      this.start = start;
      this.count = count;
      this.weight = weight;
      this.maxTaps = maxTaps;
    }

    static Taps of(int inLen, double boxStart, double boxLen, int outLen) {
      double step = boxLen / outLen;
      double support = Math.max(1.0, step);
      int maxTaps = (int) Math.ceil(support) * 2 + 2;
      int[] start = new int[outLen];
      int[] count = new int[outLen];
      float[] weight = new float[outLen * maxTaps];
      double filterScale = Math.max(1.0, step);
      for (int i = 0; i < outLen; i++) {
        double center = boxStart + (i + 0.5) * step;
        int lo = Math.max(0, (int) Math.floor(center - support));
        int hi = Math.min(inLen, (int) Math.ceil(center + support));
        double sum = 0;
        int n = 0;
        double[] w = new double[hi - lo];
        for (int j = lo; j < hi; j++) {
          double t = Math.abs((j + 0.5 - center) / filterScale);
          double v = t < 1.0 ? 1.0 - t : 0.0;
          w[j - lo] = v;
          sum += v;
        }
        // Trim leading/trailing zero weights so the inner loops stay short.
        int first = 0;
        while (first < w.length - 1 && w[first] == 0) {
          first++;
        }
        int last = w.length - 1;
        while (last > first && w[last] == 0) {
          last--;
        }
        n = last - first + 1;
        start[i] = lo + first;
        count[i] = n;
        for (int k = 0; k < n; k++) {
          weight[i * maxTaps + k] = (float) (sum == 0 ? (k == 0 ? 1 : 0) : w[first + k] / sum);
        }
      }
      return new Taps(start, count, weight, maxTaps);
    }
  }
}

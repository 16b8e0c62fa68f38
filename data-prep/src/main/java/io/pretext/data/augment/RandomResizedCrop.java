package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * Crops a random rectangle and resizes it bilinearly to {@code outHeight x outWidth}
 * ({@code torchvision.transforms.RandomResizedCrop}, used by SimCLR, Chen et al. 2020,
 * Appendix A: "a random crop (with flip and resize)", scale (0.08, 1), ratio (3/4, 4/3)).
 *
 * <p>Sampling follows torchvision's {@code get_params}: up to 10 attempts each draw an area
 * fraction uniformly in {@code [scaleMin, scaleMax]} and an aspect ratio (width/height)
 * log-uniformly in {@code [ratioMin, ratioMax]}; {@code w = round(sqrt(area * ratio))},
 * {@code h = round(sqrt(area / ratio))}; the first rectangle that fits is placed uniformly at
 * random. If none fits, the fallback is the largest center crop whose aspect ratio is clamped to
 * the ratio range.
 *
 * <p>Resampling is bilinear with half-pixel centres ({@code align_corners=False}), source
 * coordinates clamped to the crop, no antialiasing (like torchvision's tensor path with
 * {@code antialias=False}; PIL and {@code antialias=True} low-pass before downscaling, which only
 * matters for crops much larger than the output). Index and weight tables are computed once per
 * call (O(outHeight + outWidth)); see {@link #resizeCrop} for the loop structure.
 */
public final class RandomResizedCrop implements ViewTransform {
  private static final long serialVersionUID = 1L;
  private static final int ATTEMPTS = 10;

  /** SimCLR / torchvision default area-fraction range. */
  public static final double DEFAULT_SCALE_MIN = 0.08;
  public static final double DEFAULT_SCALE_MAX = 1.0;
  /** torchvision default aspect-ratio range. */
  public static final double DEFAULT_RATIO_MIN = 3.0 / 4.0;
  public static final double DEFAULT_RATIO_MAX = 4.0 / 3.0;

  private final int outHeight;
  private final int outWidth;
  private final double scaleMin;
  private final double scaleMax;
  private final double ratioMin;
  private final double ratioMax;
  private final double logRatioMin;
  private final double logRatioMax;

  /**
   * @param outHeight output rows, at least 1
   * @param outWidth output columns, at least 1
   * @param scaleMin smallest area fraction, in (0, 1]
   * @param scaleMax largest area fraction, in [scaleMin, 1]
   * @param ratioMin smallest width/height ratio, in (0, inf)
   * @param ratioMax largest width/height ratio, in [ratioMin, inf)
   */
  public RandomResizedCrop(
      int outHeight, int outWidth, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
    Check.atLeast("outHeight", outHeight, 1);
    Check.atLeast("outWidth", outWidth, 1);
    Check.fraction("scaleMin", scaleMin);
    Check.fraction("scaleMax", scaleMax);
    Check.ordered("scaleMin", scaleMin, "scaleMax", scaleMax);
    Check.positive("ratioMin", ratioMin);
    Check.positive("ratioMax", ratioMax);
    Check.ordered("ratioMin", ratioMin, "ratioMax", ratioMax);
    this.outHeight = outHeight;
    this.outWidth = outWidth;
    this.scaleMin = scaleMin;
    this.scaleMax = scaleMax;
    this.ratioMin = ratioMin;
    this.ratioMax = ratioMax;
    this.logRatioMin = StrictMath.log(ratioMin);
    this.logRatioMax = StrictMath.log(ratioMax);
  }

  /** With the torchvision/SimCLR defaults scale (0.08, 1) and ratio (3/4, 4/3). */
  public RandomResizedCrop(int outHeight, int outWidth) {
    this(outHeight, outWidth, DEFAULT_SCALE_MIN, DEFAULT_SCALE_MAX, DEFAULT_RATIO_MIN, DEFAULT_RATIO_MAX);
  }

  public int outHeight() {
    return outHeight;
  }

  public int outWidth() {
    return outWidth;
  }

  public double scaleMin() {
    return scaleMin;
  }

  public double scaleMax() {
    return scaleMax;
  }

  public double ratioMin() {
    return ratioMin;
  }

  public double ratioMax() {
    return ratioMax;
  }

  /** Samples the crop rectangle for a {@code height x width} source (torchvision get_params). */
  public CropBox sampleBox(int height, int width, SplittableRandom rng) {
    double area = (double) height * width;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double targetArea = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
      double aspect = StrictMath.exp(logRatioMin + (logRatioMax - logRatioMin) * rng.nextDouble());
      int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
      int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = rng.nextInt(height - h + 1);
        int left = rng.nextInt(width - w + 1);
        return new CropBox(top, left, h, w, false);
      }
    }
    double inRatio = (double) width / height;
    int w;
    int h;
    if (inRatio < ratioMin) {
      w = width;
      h = Math.max(1, Math.min(height, (int) Math.rint(w / ratioMin)));
    } else if (inRatio > ratioMax) {
      h = height;
      w = Math.max(1, Math.min(width, (int) Math.rint(h * ratioMax)));
    } else {
      w = width;
      h = height;
    }
    return new CropBox((height - h) / 2, (width - w) / 2, h, w, true);
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    CropBox box = sampleBox(in.height(), in.width(), rng);
    return resizeCrop(in, box, outHeight, outWidth);
  }

  /**
   * Bilinearly resamples the {@code box} region of {@code in} to {@code outH x outW}
   * (half-pixel centres, edge-clamped within the box).
   *
   * <p>Separable: each source row the output needs is interpolated horizontally once (a gather
   * through the precomputed column tables) and cached, since consecutive output rows share
   * source rows when upscaling; the vertical interpolation then runs over whole rows held in
   * offset-0 arrays, which HotSpot vectorizes. The arithmetic per pixel is
   * {@code top + fy * (bottom - top)} with {@code top = s00 + fx * (s01 - s00)}.
   */
  static FloatImage resizeCrop(FloatImage in, CropBox box, int outH, int outW) {
    int c = in.channels();
    int inW = in.width();
    int plane = in.height() * inW;
    float[] src = in.raw();

    // Per-row and per-column tables: source indices of the two taps and the weight of the second.
    int[] y0 = new int[outH];
    int[] y1 = new int[outH];
    float[] wy = new float[outH];
    table(box.top(), box.height(), outH, y0, y1, wy);
    int[] x0 = new int[outW];
    int[] x1 = new int[outW];
    float[] wx = new float[outW];
    table(box.left(), box.width(), outW, x0, x1, wx);

    float[] dst = new float[c * outH * outW];
    float[] top = new float[outW];
    float[] bottom = new float[outW];
    float[] row = new float[outW];
    for (int ch = 0; ch < c; ch++) {
      int base = ch * plane;
      int topRow = -1;
      int bottomRow = -1;
      for (int y = 0; y < outH; y++) {
        int a = y0[y];
        int b = y1[y];
        if (topRow != a) {
          if (bottomRow == a) {
            float[] t = top;
            top = bottom;
            bottom = t;
            bottomRow = topRow;
          } else {
            horizontal(src, base + a * inW, x0, x1, wx, top);
          }
          topRow = a;
        }
        if (bottomRow != b && b != a) {
          horizontal(src, base + b * inW, x0, x1, wx, bottom);
          bottomRow = b;
        }
        float[] bot = b == a ? top : bottom;
        float fy = wy[y];
        for (int x = 0; x < outW; x++) {
          row[x] = top[x] + fy * (bot[x] - top[x]);
        }
        System.arraycopy(row, 0, dst, (ch * outH + y) * outW, outW);
      }
    }
    return FloatImage.trusted(c, outH, outW, dst);
  }

  private static void horizontal(float[] src, int rowStart, int[] x0, int[] x1, float[] wx, float[] out) {
    for (int x = 0; x < out.length; x++) {
      float s0 = src[rowStart + x0[x]];
      out[x] = s0 + wx[x] * (src[rowStart + x1[x]] - s0);
    }
  }

  private static void table(int start, int len, int out, int[] i0, int[] i1, float[] w) {
    double scale = (double) len / out;
    int last = len - 1;
    for (int i = 0; i < out; i++) {
      double s = (i + 0.5) * scale - 0.5;
      if (s < 0) {
        s = 0;
      }
      int f = (int) s;
      if (f > last) {
        f = last;
      }
      int g = Math.min(f + 1, last);
      i0[i] = start + f;
      i1[i] = start + g;
      w[i] = (float) (s - f);
    }
  }

  @Override
  public String toString() {
    return "RandomResizedCrop(" + outHeight + "x" + outWidth + ", scale=[" + scaleMin + ", " + scaleMax
        + "], ratio=[" + ratioMin + ", " + ratioMax + "])";
  }
}

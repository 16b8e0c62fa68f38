package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * Gaussian blur with sigma drawn uniformly in {@code [sigmaMin, sigmaMax]} and a fixed odd kernel
 * size (SimCLR, Chen et al. 2020, Appendix A: sigma in [0.1, 2.0], kernel 10% of the image side,
 * applied with p = 0.5 on ImageNet). Separable, reflect padding at the borders (as SimCLR's
 * TensorFlow code and torchvision), output clamped to [0, 1].
 *
 * <p>Taps farther than {@value #TRUNCATE_SIGMAS} sigma from the centre (weight below
 * exp(-8) = 3.4e-4 of the centre weight) are dropped before normalizing, so small sigmas run with
 * short kernels. The Gaussian mass beyond 4 sigma is 6.3e-5, so every output pixel differs from
 * the full {@code kernelSize} kernel by less than 1e-4, a fortieth of one 8-bit level.
 *
 * <p>This transform always blurs; wrap it in {@link RandomApply} for the probability.
 */
public final class GaussianBlur extends InPlaceTransform {
  private static final long serialVersionUID = 1L;

  /** SimCLR sigma range. */
  public static final double DEFAULT_SIGMA_MIN = 0.1;
  public static final double DEFAULT_SIGMA_MAX = 2.0;

  /** Taps beyond this many sigmas from the centre are dropped. */
  public static final double TRUNCATE_SIGMAS = 4.0;

  private final int kernelSize;
  private final double sigmaMin;
  private final double sigmaMax;

  /**
   * @param kernelSize odd, at least 1
   * @param sigmaMin in (0, inf)
   * @param sigmaMax in [sigmaMin, inf)
   */
  public GaussianBlur(int kernelSize, double sigmaMin, double sigmaMax) {
    Check.atLeast("blurKernelSize", kernelSize, 1);
    if (kernelSize % 2 == 0) {
      throw new IllegalArgumentException(
          "blurKernelSize = " + kernelSize + " is not allowed; allowed: odd values >= 1");
    }
    Check.positive("blurSigmaMin", sigmaMin);
    Check.positive("blurSigmaMax", sigmaMax);
    Check.ordered("blurSigmaMin", sigmaMin, "blurSigmaMax", sigmaMax);
    this.kernelSize = kernelSize;
    this.sigmaMin = sigmaMin;
    this.sigmaMax = sigmaMax;
  }

  /**
   * SimCLR's kernel size for an image side: {@code 2 * ((side * fraction) / 2) + 1} with integer
   * division, e.g. 23 for 224 px at 10%, 9 for 96 px, 3 for 28 px.
   */
  public static int kernelSizeFor(int side, double fraction) {
    Check.atLeast("side", side, 1);
    Check.fraction("blurKernelFraction", fraction);
    int k = (int) (side * fraction);
    return 2 * (k / 2) + 1;
  }

  public int kernelSize() {
    return kernelSize;
  }

  public double sigmaMin() {
    return sigmaMin;
  }

  public double sigmaMax() {
    return sigmaMax;
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    double sigma = sigmaMin + (sigmaMax - sigmaMin) * rng.nextDouble();
    return blur(in, kernel(kernelSize, sigma));
  }

  @Override
  FloatImage applyOwned(FloatImage owned, SplittableRandom rng) {
    double sigma = sigmaMin + (sigmaMax - sigmaMin) * rng.nextDouble();
    blurInto(owned.raw(), owned.raw(), owned.channels(), owned.height(), owned.width(),
        kernel(kernelSize, sigma));
    return owned;
  }

  /**
   * Normalized 1-D Gaussian weights: length {@code size} (odd), or shorter (still odd) when
   * {@code size / 2} exceeds {@code ceil(4 sigma)}.
   */
  static float[] kernel(int size, double sigma) {
    int r = (int) Math.min(size / 2, Math.ceil(TRUNCATE_SIGMAS * sigma));
    return fullKernel(2 * r + 1, sigma);
  }

  /** Normalized 1-D Gaussian weights of exactly length {@code size} (odd), no truncation. */
  static float[] fullKernel(int size, double sigma) {
    int r = size / 2;
    double[] w = new double[size];
    double sum = 0;
    double inv = 1.0 / (2.0 * sigma * sigma);
    for (int i = -r; i <= r; i++) {
      double v = StrictMath.exp(-(i * (double) i) * inv);
      w[i + r] = v;
      sum += v;
    }
    float[] k = new float[size];
    for (int i = 0; i < size; i++) {
      k[i] = (float) (w[i] / sum);
    }
    return k;
  }

  /** Separable convolution with reflect padding; {@code k} has odd length and is symmetric. */
  static FloatImage blur(FloatImage in, float[] k) {
    float[] out = new float[in.size()];
    blurInto(in.raw(), out, in.channels(), in.height(), in.width(), k);
    return FloatImage.trusted(in.channels(), in.height(), in.width(), out);
  }

  /**
   * Blurs {@code src} into {@code dst}, which may be the same array (the vertical pass reads only
   * the intermediate rows).
   *
   * <p>Performance note: HotSpot 17's auto-vectorizer gives up on loops whose array accesses have
   * different loop-invariant offsets ({@code a[x + t]} next to {@code b[x + u]}), which is every
   * textbook convolution loop. Here every inner loop indexes all its arrays by the bare loop
   * variable: the horizontal pass copies the two shifted windows of a tap pair with
   * {@code System.arraycopy} (a vectorized memmove) and the vertical pass keeps the intermediate
   * image as one array per row. This makes the blur several times faster than the scalar form.
   * Symmetric taps ({@code k[t] == k[2r - t]}) are paired to halve the multiplies.
   */
  static void blurInto(float[] src, float[] dst, int c, int h, int w, float[] k) {
    int r = k.length / 2;
    float kc = k[r];
    int[] xIdx = reflectTable(w, r);
    int[] yIdx = reflectTable(h, r);
    float[][] mid = new float[c * h][w];
    float[] line = new float[w + 2 * r];
    float[] left = new float[w];
    float[] right = new float[w];
    for (int row = 0; row < c * h; row++) {
      int base = row * w;
      for (int j = 0; j < line.length; j++) {
        line[j] = src[base + xIdx[j]];
      }
      float[] m = mid[row];
      System.arraycopy(line, r, left, 0, w);
      for (int x = 0; x < w; x++) {
        m[x] = kc * left[x];
      }
      for (int t = 0; t < r; t++) {
        float kt = k[t];
        System.arraycopy(line, t, left, 0, w);
        System.arraycopy(line, 2 * r - t, right, 0, w);
        for (int x = 0; x < w; x++) {
          m[x] += kt * (left[x] + right[x]);
        }
      }
    }
    float[] acc = left;
    for (int ch = 0; ch < c; ch++) {
      int rows = ch * h;
      for (int y = 0; y < h; y++) {
        float[] centre = mid[rows + yIdx[y + r]];
        for (int x = 0; x < w; x++) {
          acc[x] = kc * centre[x];
        }
        for (int t = 0; t < r; t++) {
          float kt = k[t];
          float[] above = mid[rows + yIdx[y + t]];
          float[] below = mid[rows + yIdx[y + 2 * r - t]];
          for (int x = 0; x < w; x++) {
            acc[x] += kt * (above[x] + below[x]);
          }
        }
        for (int x = 0; x < w; x++) {
          acc[x] = Math.min(Math.max(acc[x], 0f), 1f);
        }
        System.arraycopy(acc, 0, dst, (rows + y) * w, w);
      }
    }
  }

  /** Index table for positions -r .. n-1+r under reflect padding (edge pixel not repeated). */
  static int[] reflectTable(int n, int r) {
    int[] idx = new int[n + 2 * r];
    int period = 2 * (n - 1);
    for (int j = 0; j < idx.length; j++) {
      int p = j - r;
      if (period == 0) {
        idx[j] = 0;
        continue;
      }
      p = Math.floorMod(p, period);
      idx[j] = p < n ? p : period - p;
    }
    return idx;
  }

  @Override
  public String toString() {
    return "GaussianBlur(kernel=" + kernelSize + ", sigma=[" + sigmaMin + ", " + sigmaMax + "])";
  }
}

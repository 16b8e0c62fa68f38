package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * Gaussian blur with sigma drawn uniformly in {@code [sigmaMin, sigmaMax]} and a fixed odd kernel
 * size (SimCLR, Chen et al. 2020, Appendix A: sigma in [0.1, 2.0], kernel 10% of the image side,
 * applied with p = 0.5 on ImageNet). Separable, reflect padding at the borders (as SimCLR's
 * TensorFlow code and torchvision), output clamped to [0, 1].
 *
 * <p>This transform always blurs; wrap it in {@link RandomApply} for the probability.
 */
public final class GaussianBlur implements ViewTransform {
  private static final long serialVersionUID = 1L;

  /** SimCLR sigma range. */
  public static final double DEFAULT_SIGMA_MIN = 0.1;
  public static final double DEFAULT_SIGMA_MAX = 2.0;

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

  /** Normalized 1-D Gaussian weights of length {@code size} (odd). */
  static float[] kernel(int size, double sigma) {
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

  /** Separable convolution with reflect padding; {@code k} has odd length. */
  static FloatImage blur(FloatImage in, float[] k) {
    int c = in.channels();
    int h = in.height();
    int w = in.width();
    int r = k.length / 2;
    int[] xIdx = reflectTable(w, r);
    int[] yIdx = reflectTable(h, r);
    float[] src = in.raw();
    float[] mid = new float[src.length];
    float[] line = new float[w + 2 * r];
    // Horizontal pass: copy each row into a reflect-padded line, then convolve without bounds checks.
    for (int row = 0; row < c * h; row++) {
      int base = row * w;
      for (int j = 0; j < line.length; j++) {
        line[j] = src[base + xIdx[j]];
      }
      for (int x = 0; x < w; x++) {
        float s = 0f;
        for (int t = 0; t < k.length; t++) {
          s += k[t] * line[x + t];
        }
        mid[base + x] = s;
      }
    }
    // Vertical pass: accumulate whole source rows so the inner loop runs along memory.
    float[] out = new float[src.length];
    for (int ch = 0; ch < c; ch++) {
      int plane = ch * h * w;
      for (int y = 0; y < h; y++) {
        int dst = plane + y * w;
        for (int t = 0; t < k.length; t++) {
          float kt = k[t];
          int srcRow = plane + yIdx[y + t] * w;
          for (int x = 0; x < w; x++) {
            out[dst + x] += kt * mid[srcRow + x];
          }
        }
        for (int x = 0; x < w; x++) {
          float v = out[dst + x];
          out[dst + x] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
      }
    }
    return FloatImage.trusted(c, h, w, out);
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

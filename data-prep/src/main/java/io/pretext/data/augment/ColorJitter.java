package io.pretext.data.augment;

import java.util.SplittableRandom;

/**
 * Random brightness, contrast, saturation and hue changes applied in a random order
 * ({@code torchvision.transforms.ColorJitter}). SimCLR (Chen et al. 2020, Appendix A) uses
 * strength s with brightness = contrast = saturation = 0.8s, hue = 0.2s, applied with probability
 * 0.8 (see {@link RandomApply}); s = 1 for ImageNet, s = 0.5 for CIFAR-10.
 *
 * <p>Factors: brightness, contrast and saturation factors are uniform in
 * {@code [max(0, 1 - x), 1 + x]}; the hue shift is uniform in {@code [-hue, hue]} (fraction of the
 * hue circle). Operations, each followed by clamping to [0, 1]:
 * <ul>
 *   <li>brightness: {@code v * f};</li>
 *   <li>contrast: {@code f * v + (1 - f) * mean}, mean = mean luma of the image;</li>
 *   <li>saturation: {@code f * v + (1 - f) * luma(pixel)};</li>
 *   <li>hue: rotate H in HSV space ({@link HueRotation}).</li>
 * </ul>
 * On 1-channel images only brightness and contrast apply; saturation and hue are skipped without
 * drawing random numbers. A strength of 0 disables that operation.
 */
public final class ColorJitter extends InPlaceTransform {
  private static final long serialVersionUID = 1L;

  private static final int BRIGHTNESS = 0;
  private static final int CONTRAST = 1;
  private static final int SATURATION = 2;
  private static final int HUE = 3;

  private final double brightness;
  private final double contrast;
  private final double saturation;
  private final double hue;

  /**
   * @param brightness in [0, inf)
   * @param contrast in [0, inf)
   * @param saturation in [0, inf)
   * @param hue in [0, 0.5]
   */
  public ColorJitter(double brightness, double contrast, double saturation, double hue) {
    Check.nonNegative("brightness", brightness);
    Check.nonNegative("contrast", contrast);
    Check.nonNegative("saturation", saturation);
    Check.range("hue", hue, 0.0, 0.5);
    this.brightness = brightness;
    this.contrast = contrast;
    this.saturation = saturation;
    this.hue = hue;
  }

  /** SimCLR's jitter of strength {@code s}: 0.8s, 0.8s, 0.8s, 0.2s. */
  public static ColorJitter simclr(double s) {
    Check.range("colorJitterStrength", s, 0.0, 2.5);
    return new ColorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.2 * s);
  }

  public double brightness() {
    return brightness;
  }

  public double contrast() {
    return contrast;
  }

  public double saturation() {
    return saturation;
  }

  public double hue() {
    return hue;
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    float[] out = new float[in.size()];
    jitter(in.raw(), out, in.channels(), in.height() * in.width(), rng);
    return FloatImage.trusted(in.channels(), in.height(), in.width(), out);
  }

  @Override
  FloatImage applyOwned(FloatImage owned, SplittableRandom rng) {
    jitter(owned.raw(), owned.raw(), owned.channels(), owned.height() * owned.width(), rng);
    return owned;
  }

  /**
   * Jitters {@code src} into {@code dst} (may be the same array). The work happens on one array
   * per channel, indexed from 0, because HotSpot 17 vectorizes only loops whose arrays are all
   * accessed at the same offset.
   */
  private void jitter(float[] src, float[] dst, int c, int plane, SplittableRandom rng) {
    boolean rgb = c == 3;
    // Random order of the four operations (torchvision draws the permutation before the factors).
    int perm = permutation(rng);
    float fb = brightness > 0 ? factor(rng, brightness) : 1f;
    float fc = contrast > 0 ? factor(rng, contrast) : 1f;
    float fs = rgb && saturation > 0 ? factor(rng, saturation) : 1f;
    float fh = rgb && hue > 0 ? (float) (-hue + 2 * hue * rng.nextDouble()) : 0f;

    float[][] planes = new float[c][];
    if (rgb) {
      for (int ch = 0; ch < c; ch++) {
        planes[ch] = new float[plane];
        System.arraycopy(src, ch * plane, planes[ch], 0, plane);
      }
    } else {
      // one plane at offset 0: work in dst directly
      if (dst != src) {
        System.arraycopy(src, 0, dst, 0, plane);
      }
      planes[0] = dst;
    }
    for (int k = 0; k < 4; k++) {
      int op = (perm >>> (2 * k)) & 3;
      switch (op) {
        case BRIGHTNESS -> {
          if (brightness > 0) {
            for (float[] p : planes) {
              scaleClamp(p, fb);
            }
          }
        }
        case CONTRAST -> {
          if (contrast > 0) {
            float mean = rgb ? Luma.mean(planes[0], planes[1], planes[2]) : Luma.mean(planes[0]);
            for (float[] p : planes) {
              blendClamp(p, fc, (1f - fc) * mean);
            }
          }
        }
        case SATURATION -> {
          if (rgb && saturation > 0) {
            saturate(planes[0], planes[1], planes[2], fs);
          }
        }
        case HUE -> {
          if (rgb && hue > 0) {
            HueRotation.rotate(planes[0], planes[1], planes[2], fh);
          }
        }
      }
    }
    if (rgb) {
      for (int ch = 0; ch < c; ch++) {
        System.arraycopy(planes[ch], 0, dst, ch * plane, plane);
      }
    }
  }

  /**
   * A uniformly random permutation of {0, 1, 2, 3} by Fisher-Yates, packed two bits per position
   * (position k holds {@code (perm >>> 2k) & 3}) so that no array is allocated.
   */
  static int permutation(SplittableRandom rng) {
    int perm = (1 << 2) | (2 << 4) | (3 << 6);
    perm = swap(perm, 3, rng.nextInt(4));
    perm = swap(perm, 2, rng.nextInt(3));
    perm = swap(perm, 1, rng.nextInt(2));
    return perm;
  }

  private static int swap(int perm, int i, int j) {
    if (i == j) {
      return perm;
    }
    int a = (perm >>> (2 * i)) & 3;
    int b = (perm >>> (2 * j)) & 3;
    perm &= ~((3 << (2 * i)) | (3 << (2 * j)));
    return perm | (b << (2 * i)) | (a << (2 * j));
  }

  private static float factor(SplittableRandom rng, double strength) {
    double lo = Math.max(0.0, 1.0 - strength);
    double hi = 1.0 + strength;
    return (float) (lo + (hi - lo) * rng.nextDouble());
  }

  // Clamps use Math.min/max rather than ternaries so that C2 vectorizes the loops.
  private static void scaleClamp(float[] buf, float f) {
    for (int i = 0; i < buf.length; i++) {
      buf[i] = Math.min(buf[i] * f, 1f);
    }
  }

  private static void blendClamp(float[] buf, float f, float offset) {
    for (int i = 0; i < buf.length; i++) {
      buf[i] = Math.min(Math.max(f * buf[i] + offset, 0f), 1f);
    }
  }

  /** Blends each pixel toward its luma: {@code f * v + (1 - f) * luma}, clamped. */
  private static void saturate(float[] r, float[] g, float[] b, float f) {
    float w = 1f - f;
    for (int i = 0; i < r.length; i++) {
      float gray = w * (Luma.R * r[i] + Luma.G * g[i] + Luma.B * b[i]);
      r[i] = Math.min(Math.max(f * r[i] + gray, 0f), 1f);
      g[i] = Math.min(Math.max(f * g[i] + gray, 0f), 1f);
      b[i] = Math.min(Math.max(f * b[i] + gray, 0f), 1f);
    }
  }

  @Override
  public String toString() {
    return "ColorJitter(brightness=" + brightness + ", contrast=" + contrast + ", saturation="
        + saturation + ", hue=" + hue + ")";
  }
}

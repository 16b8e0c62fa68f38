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
 *   <li>hue: rotate H in HSV space.</li>
 * </ul>
 * On 1-channel images only brightness and contrast apply; saturation and hue are skipped without
 * drawing random numbers. A strength of 0 disables that operation.
 */
public final class ColorJitter implements ViewTransform {
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
    int c = in.channels();
    boolean rgb = c == 3;
    // Random order of the four operations (torchvision draws the permutation before the factors).
    int perm = permutation(rng);

    float fb = brightness > 0 ? factor(rng, brightness) : 1f;
    float fc = contrast > 0 ? factor(rng, contrast) : 1f;
    float fs = rgb && saturation > 0 ? factor(rng, saturation) : 1f;
    float fh = rgb && hue > 0 ? (float) (-hue + 2 * hue * rng.nextDouble()) : 0f;

    int plane = in.height() * in.width();
    float[] buf = in.raw().clone();
    float[] gray = null;
    for (int k = 0; k < 4; k++) {
      int op = (perm >>> (2 * k)) & 3;
      switch (op) {
        case BRIGHTNESS -> {
          if (brightness > 0) {
            scaleClamp(buf, fb);
          }
        }
        case CONTRAST -> {
          if (contrast > 0) {
            float mean = Luma.mean(buf, c, plane);
            blendClamp(buf, fc, (1f - fc) * mean);
          }
        }
        case SATURATION -> {
          if (rgb && saturation > 0) {
            if (gray == null) {
              gray = new float[plane];
            }
            Luma.gray(buf, plane, gray);
            saturate(buf, plane, gray, fs);
          }
        }
        default -> {
          if (rgb && hue > 0) {
            shiftHue(buf, plane, fh);
          }
        }
      }
    }
    return FloatImage.trusted(c, in.height(), in.width(), buf);
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

  private static void scaleClamp(float[] buf, float f) {
    for (int i = 0; i < buf.length; i++) {
      float v = buf[i] * f;
      buf[i] = v > 1f ? 1f : v;
    }
  }

  private static void blendClamp(float[] buf, float f, float offset) {
    for (int i = 0; i < buf.length; i++) {
      float v = f * buf[i] + offset;
      buf[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
    }
  }

  private static void saturate(float[] buf, int plane, float[] gray, float f) {
    float g = 1f - f;
    for (int ch = 0; ch < 3; ch++) {
      int base = ch * plane;
      for (int i = 0; i < plane; i++) {
        float v = f * buf[base + i] + g * gray[i];
        buf[base + i] = v < 0f ? 0f : (v > 1f ? 1f : v);
      }
    }
  }

  /** torchvision's _rgb2hsv / _hsv2rgb with the hue rotated by {@code shift}, per pixel. */
  private static void shiftHue(float[] buf, int plane, float shift) {
    int gOff = plane;
    int bOff = 2 * plane;
    for (int i = 0; i < plane; i++) {
      float r = buf[i];
      float g = buf[gOff + i];
      float b = buf[bOff + i];
      float max = Math.max(r, Math.max(g, b));
      float min = Math.min(r, Math.min(g, b));
      float cr = max - min;
      if (cr == 0f) {
        continue; // gray pixel: hue undefined, rotation is the identity
      }
      float s = cr / max;
      float h;
      if (max == r) {
        h = (g - b) / cr;
      } else if (max == g) {
        h = 2f + (b - r) / cr;
      } else {
        h = 4f + (r - g) / cr;
      }
      h = h / 6f + shift;
      h -= (float) Math.floor(h);
      float h6 = h * 6f;
      float fl = (float) Math.floor(h6);
      float f = h6 - fl;
      int sector = ((int) fl) % 6;
      float v = max;
      float p = clamp01(v * (1f - s));
      float q = clamp01(v * (1f - s * f));
      float t = clamp01(v * (1f - s * (1f - f)));
      switch (sector) {
        case 0 -> set(buf, i, gOff, bOff, v, t, p);
        case 1 -> set(buf, i, gOff, bOff, q, v, p);
        case 2 -> set(buf, i, gOff, bOff, p, v, t);
        case 3 -> set(buf, i, gOff, bOff, p, q, v);
        case 4 -> set(buf, i, gOff, bOff, t, p, v);
        default -> set(buf, i, gOff, bOff, v, p, q);
      }
    }
  }

  private static void set(float[] buf, int i, int gOff, int bOff, float r, float g, float b) {
    buf[i] = r;
    buf[gOff + i] = g;
    buf[bOff + i] = b;
  }

  private static float clamp01(float v) {
    return v < 0f ? 0f : (v > 1f ? 1f : v);
  }

  @Override
  public String toString() {
    return "ColorJitter(brightness=" + brightness + ", contrast=" + contrast + ", saturation="
        + saturation + ", hue=" + hue + ")";
  }
}

package io.pretext.data.augment;

import java.io.Serializable;
import java.util.List;

/**
 * The augmentation recipe for one kind of view: random resized crop, horizontal flip, colour
 * jitter (applied with {@code jitterProb}), random grayscale, Gaussian blur (applied with
 * {@code blurProb}) and solarization, in that order (SimCLR, Chen et al. 2020, Appendix A;
 * solarization from BYOL, Grill et al. 2020).
 *
 * <p>Immutable and validated: the canonical constructor rejects every out-of-range value with an
 * {@link IllegalArgumentException} naming the parameter, its value and the allowed range. Use
 * {@link #simclr}, {@link #simclrSmall} or {@link #builder} rather than the constructor.
 *
 * @param outHeight output rows, >= 1
 * @param outWidth output columns, >= 1
 * @param channels 1 (grayscale) or 3 (RGB); input images must match
 * @param cropScaleMin smallest crop area fraction, (0, 1]; SimCLR 0.08
 * @param cropScaleMax largest crop area fraction, [cropScaleMin, 1]; SimCLR 1.0
 * @param cropRatioMin smallest crop width/height, (0, inf); SimCLR 3/4
 * @param cropRatioMax largest crop width/height, [cropRatioMin, inf); SimCLR 4/3
 * @param flipProb horizontal flip probability, [0, 1]; SimCLR 0.5
 * @param jitterProb probability of applying colour jitter, [0, 1]; SimCLR 0.8
 * @param brightness brightness strength, [0, inf); SimCLR 0.8s
 * @param contrast contrast strength, [0, inf); SimCLR 0.8s
 * @param saturation saturation strength, [0, inf), must be 0 for 1 channel; SimCLR 0.8s
 * @param hue hue strength, [0, 0.5], must be 0 for 1 channel; SimCLR 0.2s
 * @param grayscaleProb random grayscale probability, [0, 1], must be 0 for 1 channel; SimCLR 0.2
 * @param blurProb Gaussian blur probability, [0, 1]; SimCLR 0.5 on ImageNet, 0 on CIFAR
 * @param blurSigmaMin smallest blur sigma in pixels, (0, inf); SimCLR 0.1
 * @param blurSigmaMax largest blur sigma, [blurSigmaMin, inf); SimCLR 2.0
 * @param blurKernelFraction kernel size as a fraction of the smaller output side, (0, 1]; SimCLR 0.1
 * @param solarizeProb solarization probability, [0, 1]; SimCLR 0 (BYOL 0 / 0.2)
 * @param solarizeThreshold solarization threshold, [0, 1]; BYOL 0.5
 */
public record ViewRecipe(
    int outHeight,
    int outWidth,
    int channels,
    double cropScaleMin,
    double cropScaleMax,
    double cropRatioMin,
    double cropRatioMax,
    double flipProb,
    double jitterProb,
    double brightness,
    double contrast,
    double saturation,
    double hue,
    double grayscaleProb,
    double blurProb,
    double blurSigmaMin,
    double blurSigmaMax,
    double blurKernelFraction,
    double solarizeProb,
    double solarizeThreshold)
    implements Serializable {

  /** SimCLR colour-jitter application probability. */
  public static final double SIMCLR_JITTER_PROB = 0.8;
  /** SimCLR ImageNet blur probability. */
  public static final double SIMCLR_BLUR_PROB = 0.5;
  /** SimCLR blur kernel size as a fraction of the image side. */
  public static final double SIMCLR_BLUR_KERNEL_FRACTION = 0.1;

  public ViewRecipe {
    Check.atLeast("outHeight", outHeight, 1);
    Check.atLeast("outWidth", outWidth, 1);
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels = " + channels + " is not allowed; allowed: 1 or 3");
    }
    Check.fraction("cropScaleMin", cropScaleMin);
    Check.fraction("cropScaleMax", cropScaleMax);
    Check.ordered("cropScaleMin", cropScaleMin, "cropScaleMax", cropScaleMax);
    Check.positive("cropRatioMin", cropRatioMin);
    Check.positive("cropRatioMax", cropRatioMax);
    Check.ordered("cropRatioMin", cropRatioMin, "cropRatioMax", cropRatioMax);
    Check.probability("flipProb", flipProb);
    Check.probability("jitterProb", jitterProb);
    Check.nonNegative("brightness", brightness);
    Check.nonNegative("contrast", contrast);
    Check.nonNegative("saturation", saturation);
    Check.range("hue", hue, 0.0, 0.5);
    Check.probability("grayscaleProb", grayscaleProb);
    if (channels == 1) {
      requireZeroForGray("saturation", saturation);
      requireZeroForGray("hue", hue);
      requireZeroForGray("grayscaleProb", grayscaleProb);
    }
    Check.probability("blurProb", blurProb);
    Check.positive("blurSigmaMin", blurSigmaMin);
    Check.positive("blurSigmaMax", blurSigmaMax);
    Check.ordered("blurSigmaMin", blurSigmaMin, "blurSigmaMax", blurSigmaMax);
    Check.fraction("blurKernelFraction", blurKernelFraction);
    Check.probability("solarizeProb", solarizeProb);
    Check.range("solarizeThreshold", solarizeThreshold, 0.0, 1.0);
  }

  private static void requireZeroForGray(String name, double v) {
    if (v != 0.0) {
      throw new IllegalArgumentException(
          name + " = " + v + " is not allowed for channels = 1; allowed: 0 (it only applies to RGB)");
    }
  }

  /**
   * SimCLR's ImageNet recipe (Chen et al. 2020, Appendix A) at colour strength s = 1: crop scale
   * [0.08, 1], ratio [3/4, 4/3], flip 0.5, jitter (0.8, 0.8, 0.8, 0.2) with p = 0.8, grayscale
   * p = 0.2, blur p = 0.5 with sigma [0.1, 2] and kernel 10% of the side, no solarization. For
   * 1 channel, saturation, hue and grayscale are 0.
   */
  public static ViewRecipe simclr(int outHeight, int outWidth, int channels) {
    return builder(outHeight, outWidth, channels).build();
  }

  /**
   * Small-image recipe (SimCLR's CIFAR-10 setting, Chen et al. 2020, Appendix B.9, s = 0.5, and the
   * Fashion-MNIST reference): crop scale [0.2, 1], flip 0.5, jitter with p = 0.8 of brightness and
   * contrast 0.4 (plus saturation 0.4, hue 0.1 and grayscale p = 0.2 for RGB), no blur.
   */
  public static ViewRecipe simclrSmall(int outHeight, int outWidth, int channels) {
    return builder(outHeight, outWidth, channels)
        .cropScale(0.2, 1.0)
        .colorJitterStrength(0.5)
        .blurProb(0.0)
        .build();
  }

  /** A builder pre-filled with the {@link #simclr} defaults for the given shape. */
  public static Builder builder(int outHeight, int outWidth, int channels) {
    return new Builder(outHeight, outWidth, channels);
  }

  /** A builder pre-filled with this recipe's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** This recipe with another output size and crop scale range (used for multi-crop views). */
  public ViewRecipe withCrop(int height, int width, double scaleMin, double scaleMax) {
    return toBuilder().outSize(height, width).cropScale(scaleMin, scaleMax).build();
  }

  /** Blur kernel size for this output size (SimCLR rule, see {@link GaussianBlur#kernelSizeFor}). */
  public int blurKernelSize() {
    return GaussianBlur.kernelSizeFor(Math.min(outHeight, outWidth), blurKernelFraction);
  }

  /** The transform pipeline: crop, flip, jitter (p), grayscale, blur (p), solarize. */
  public ViewTransform toTransform() {
    return Compose.of(List.of(
        new RandomResizedCrop(outHeight, outWidth, cropScaleMin, cropScaleMax, cropRatioMin, cropRatioMax),
        new HorizontalFlip(flipProb),
        new RandomApply(new ColorJitter(brightness, contrast, saturation, hue), jitterProb),
        new RandomGrayscale(grayscaleProb),
        new RandomApply(new GaussianBlur(blurKernelSize(), blurSigmaMin, blurSigmaMax), blurProb),
        new Solarize(solarizeThreshold, solarizeProb)));
  }

  /** Mutable builder; {@link #build()} validates through the record constructor. */
  public static final class Builder {
    private int outHeight;
    private int outWidth;
    private final int channels;
    private double cropScaleMin = RandomResizedCrop.DEFAULT_SCALE_MIN;
    private double cropScaleMax = RandomResizedCrop.DEFAULT_SCALE_MAX;
    private double cropRatioMin = RandomResizedCrop.DEFAULT_RATIO_MIN;
    private double cropRatioMax = RandomResizedCrop.DEFAULT_RATIO_MAX;
    private double flipProb = HorizontalFlip.DEFAULT_P;
    private double jitterProb = SIMCLR_JITTER_PROB;
    private double brightness;
    private double contrast;
    private double saturation;
    private double hue;
    private double grayscaleProb;
    private double blurProb = SIMCLR_BLUR_PROB;
    private double blurSigmaMin = GaussianBlur.DEFAULT_SIGMA_MIN;
    private double blurSigmaMax = GaussianBlur.DEFAULT_SIGMA_MAX;
    private double blurKernelFraction = SIMCLR_BLUR_KERNEL_FRACTION;
    private double solarizeProb = 0.0;
    private double solarizeThreshold = Solarize.DEFAULT_THRESHOLD;

    private Builder(int outHeight, int outWidth, int channels) {
      this.outHeight = outHeight;
      this.outWidth = outWidth;
      this.channels = channels;
      colorJitterStrength(1.0);
      this.grayscaleProb = channels == 3 ? RandomGrayscale.DEFAULT_P : 0.0;
    }

    private Builder(ViewRecipe r) {
      outHeight = r.outHeight;
      outWidth = r.outWidth;
      channels = r.channels;
      cropScaleMin = r.cropScaleMin;
      cropScaleMax = r.cropScaleMax;
      cropRatioMin = r.cropRatioMin;
      cropRatioMax = r.cropRatioMax;
      flipProb = r.flipProb;
      jitterProb = r.jitterProb;
      brightness = r.brightness;
      contrast = r.contrast;
      saturation = r.saturation;
      hue = r.hue;
      grayscaleProb = r.grayscaleProb;
      blurProb = r.blurProb;
      blurSigmaMin = r.blurSigmaMin;
      blurSigmaMax = r.blurSigmaMax;
      blurKernelFraction = r.blurKernelFraction;
      solarizeProb = r.solarizeProb;
      solarizeThreshold = r.solarizeThreshold;
    }

    public Builder outSize(int height, int width) {
      this.outHeight = height;
      this.outWidth = width;
      return this;
    }

    public Builder cropScale(double min, double max) {
      this.cropScaleMin = min;
      this.cropScaleMax = max;
      return this;
    }

    public Builder cropRatio(double min, double max) {
      this.cropRatioMin = min;
      this.cropRatioMax = max;
      return this;
    }

    public Builder flipProb(double p) {
      this.flipProb = p;
      return this;
    }

    public Builder jitterProb(double p) {
      this.jitterProb = p;
      return this;
    }

    /**
     * SimCLR colour strength s in [0, 2.5]: brightness = contrast = saturation = 0.8s, hue = 0.2s
     * (saturation and hue stay 0 for 1 channel).
     */
    public Builder colorJitterStrength(double s) {
      Check.range("colorJitterStrength", s, 0.0, 2.5);
      brightness = 0.8 * s;
      contrast = 0.8 * s;
      saturation = channels == 3 ? 0.8 * s : 0.0;
      hue = channels == 3 ? 0.2 * s : 0.0;
      return this;
    }

    public Builder brightness(double v) {
      this.brightness = v;
      return this;
    }

    public Builder contrast(double v) {
      this.contrast = v;
      return this;
    }

    public Builder saturation(double v) {
      this.saturation = v;
      return this;
    }

    public Builder hue(double v) {
      this.hue = v;
      return this;
    }

    public Builder grayscaleProb(double p) {
      this.grayscaleProb = p;
      return this;
    }

    public Builder blurProb(double p) {
      this.blurProb = p;
      return this;
    }

    public Builder blurSigma(double min, double max) {
      this.blurSigmaMin = min;
      this.blurSigmaMax = max;
      return this;
    }

    public Builder blurKernelFraction(double f) {
      this.blurKernelFraction = f;
      return this;
    }

    public Builder solarize(double p, double threshold) {
      this.solarizeProb = p;
      this.solarizeThreshold = threshold;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid parameter */
    public ViewRecipe build() {
      return new ViewRecipe(outHeight, outWidth, channels, cropScaleMin, cropScaleMax, cropRatioMin,
          cropRatioMax, flipProb, jitterProb, brightness, contrast, saturation, hue, grayscaleProb,
          blurProb, blurSigmaMin, blurSigmaMax, blurKernelFraction, solarizeProb, solarizeThreshold);
    }
  }
}

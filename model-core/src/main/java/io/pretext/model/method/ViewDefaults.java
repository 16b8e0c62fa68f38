package io.pretext.model.method;

import java.io.Serializable;
import java.util.List;

/**
 * The view recipe an image method declares ({@link MultiViewMethod#viewDefaults()}): for each of its views (one value
 * for every view, or one per view) the RandomResizedCrop scale minimum, the colour-jitter strength {@code s}
 * (brightness = contrast = saturation = 0.8 s, hue = 0.2 s) and its probability, the Gaussian-blur probability and the
 * solarization probability. The rest of the recipe (flip 0.5, crop ratio 3/4-4/3, grayscale 0.2 for RGB, blur sigma
 * 0.1-2) is SimCLR's (Chen et al. 2020, Appendix A). data-prep binds these to an image size and validates them, with
 * the user's overrides ({@code --crop-scale-min}, ...).
 *
 * @param views views per record
 * @param cropScaleMin per view, or one for all
 * @param jitter per view, or one for all
 * @param jitterProb per view, or one for all
 * @param blurProb per view, or one for all
 * @param solarizeProb per view, or one for all
 */
public record ViewDefaults(int views, List<Double> cropScaleMin, List<Double> jitter, List<Double> jitterProb,
    List<Double> blurProb, List<Double> solarizeProb) implements Serializable {

  /**
   * Two views from one recipe: crop scale [0.2, 1], colour strength 0.5 on every view, no blur, no solarization. That
   * is SimCLR's small-image setting (CIFAR-10, Chen et al. 2020, Appendix B.9) with jitter on every view, which stops
   * the intensity shortcut on grayscale images (docs/methods.md).
   */
  public static final ViewDefaults TWO_VIEWS = new ViewDefaults(2, List.of(0.2), List.of(0.5), List.of(1.0), List.of(0.0),
      List.of(0.0));

  /**
   * One clean view: crop scale 1 (the whole image), a horizontal flip half the time, no colour jitter, blur or
   * solarization. What a generative method reconstructs.
   */
  public static final ViewDefaults CLEAN = new ViewDefaults(1, List.of(1.0), List.of(0.0), List.of(0.0), List.of(0.0), List.of(0.0));

  public ViewDefaults {
    cropScaleMin = List.copyOf(cropScaleMin);
    jitter = List.copyOf(jitter);
    jitterProb = List.copyOf(jitterProb);
    blurProb = List.copyOf(blurProb);
    solarizeProb = List.copyOf(solarizeProb);
  }

  /** This recipe with other blur and solarization probabilities (per view, or one for all). */
  public ViewDefaults withBlurAndSolarize(List<Double> blur, List<Double> solarize) {
    return new ViewDefaults(views, cropScaleMin, jitter, jitterProb, blur, solarize);
  }

  /** This recipe for {@code n} views (every setting must then be one value for all views). */
  public ViewDefaults withViews(int n) {
    return new ViewDefaults(n, cropScaleMin, jitter, jitterProb, blurProb, solarizeProb);
  }
}

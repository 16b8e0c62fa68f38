package io.pretext.data.batches.views;

import io.pretext.data.batches.RecipeOptions;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;
import io.pretext.model.method.ViewDefaults;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The view-recipe options of image methods, shared by {@code pretrain} and {@code show-views} so that what you see is
 * what trains. Each takes one value for every view or one per view ({@code --blur-prob 1.0,0.1}); an option not given
 * takes the method's own recipe ({@link MultiViewMethod#viewDefaults()}).
 */
public final class ViewOptions extends RecipeOptions {
  @Option(names = "--crop-scale-min", split = ",", paramLabel = "S",
      description = "Smallest RandomResizedCrop area fraction, per view or one for all (default: the method's recipe, usually 0.2).")
  public List<Double> cropScaleMin;

  @Option(names = "--jitter", split = ",", paramLabel = "S",
      description = "Colour jitter strength s: brightness = contrast = saturation = 0.8s, hue = 0.2s (default: the method's recipe, usually 0.5).")
  public List<Double> jitter;

  @Option(names = "--jitter-prob", split = ",", paramLabel = "P",
      description = "Probability that a view gets colour jitter (default: the method's recipe, usually 1.0; SimCLR uses 0.8 on ImageNet).")
  public List<Double> jitterProb;

  @Option(names = "--blur-prob", split = ",", paramLabel = "P",
      description = "Gaussian blur probability (default: the method's recipe, e.g. 0, or 1.0,0.1 for BYOL).")
  public List<Double> blurProb;

  @Option(names = "--solarize-prob", split = ",", paramLabel = "P",
      description = "Solarization probability (default: the method's recipe, e.g. 0, or 0,0.2 for BYOL).")
  public List<Double> solarizeProb;

  /**
   * The method's recipe with every option given here applied; stores the resolved per-view values back into the
   * options.
   */
  @Override
  public ViewSettings toRecipe(SslMethod method) {
    if (!(method instanceof MultiViewMethod m)) {
      throw new IllegalArgumentException("view options apply to image methods; " + method.name() + " is not one");
    }
    ViewDefaults preset = m.viewDefaults();
    ViewSettings s = new ViewSettings(m.views(), or(cropScaleMin, preset.cropScaleMin()), or(jitter, preset.jitter()),
        or(jitterProb, preset.jitterProb()), or(blurProb, preset.blurProb()), or(solarizeProb, preset.solarizeProb()));
    cropScaleMin = s.cropScaleMin();
    jitter = s.jitter();
    jitterProb = s.jitterProb();
    blurProb = s.blurProb();
    solarizeProb = s.solarizeProb();
    return s;
  }

  private static List<Double> or(List<Double> given, List<Double> preset) {
    return given == null || given.isEmpty() ? preset : given;
  }
}

package io.pretext.data.batches.views;

import io.pretext.data.augment.Solarize;
import io.pretext.data.augment.ViewRecipe;
import io.pretext.data.batches.BatchRecipe;
import io.pretext.model.config.OptionCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The user-facing knobs of a method's view recipes, one value per view or one value for every view: random resized
 * crop scale {@code [cropScaleMin, 1]}, colour jitter strength {@code s} (brightness = contrast = saturation = 0.8 s,
 * hue = 0.2 s) applied with {@code jitterProb}, Gaussian blur with {@code blurProb}, solarization (threshold 0.5) with
 * {@code solarizeProb}. The rest of each recipe is SimCLR's (Chen et al. 2020, Appendix A): flip 0.5, crop ratio
 * 3/4-4/3, random grayscale 0.2 for RGB, blur sigma 0.1-2 with a kernel of 10% of the side. Independent of the image
 * size: {@link #recipes} binds them to a dataset's shape.
 *
 * @param views views per record, 1..1024
 * @param cropScaleMin per view (or one for all), each in (0, 1]
 * @param jitter per view (or one for all), each in [0, 2]
 * @param jitterProb per view (or one for all), each a probability
 * @param blurProb per view (or one for all), each a probability
 * @param solarizeProb per view (or one for all), each a probability
 */
public record ViewSettings(int views, List<Double> cropScaleMin, List<Double> jitter, List<Double> jitterProb,
    List<Double> blurProb, List<Double> solarizeProb) implements BatchRecipe {

  public ViewSettings {
    OptionCheck.require(views >= 1 && views <= 1024, "views", views, "an integer 1..1024");
    cropScaleMin = perView("--crop-scale-min", cropScaleMin, views, 1e-9, 1, "numbers in (0, 1]");
    jitter = perView("--jitter", jitter, views, 0, 2, "numbers in [0, 2]");
    jitterProb = perView("--jitter-prob", jitterProb, views, 0, 1, "probabilities in [0, 1]");
    blurProb = perView("--blur-prob", blurProb, views, 0, 1, "probabilities in [0, 1]");
    solarizeProb = perView("--solarize-prob", solarizeProb, views, 0, 1, "probabilities in [0, 1]");
  }

  private static List<Double> perView(String option, List<Double> values, int views, double lo, double hi, String allowed) {
    OptionCheck.require(values != null && (values.size() == 1 || values.size() == views), option, values,
        "one value for every view, or " + views + " comma-separated values, one per view");
    List<Double> out = new ArrayList<>(views);
    for (int v = 0; v < views; v++) {
      double x = values.get(values.size() == 1 ? 0 : v);
      OptionCheck.require(x >= lo && x <= hi, option, x, allowed);
      out.add(x);
    }
    return List.copyOf(out);
  }

  /** The recipe of every view for images of {@code channels x height x width}. */
  public List<ViewRecipe> recipes(int channels, int height, int width) {
    List<ViewRecipe> out = new ArrayList<>(views);
    for (int v = 0; v < views; v++) {
      out.add(ViewRecipe.builder(height, width, channels)
          .cropScale(cropScaleMin.get(v), 1.0)
          .colorJitterStrength(jitter.get(v))
          .jitterProb(jitterProb.get(v))
          .blurProb(blurProb.get(v))
          .solarize(solarizeProb.get(v), Solarize.DEFAULT_THRESHOLD)
          .build());
    }
    return out;
  }
}

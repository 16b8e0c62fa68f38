package io.pretext.jobs.pretrain;

import io.pretext.data.augment.ViewRecipe;
import io.pretext.model.InputShape;

/** The SimCLR view recipe as configured from the command line (crop scale, jitter strength and probability, blur). */
public final class ViewRecipes {
  private ViewRecipes() {}

  public static ViewRecipe simclr(double cropScaleMin, double jitter, double jitterProb, double blurProb,
      InputShape shape) {
    return ViewRecipe.builder(shape.height(), shape.width(), shape.channels())
        .cropScale(cropScaleMin, 1.0)
        .colorJitterStrength(jitter)
        .jitterProb(jitterProb)
        .blurProb(blurProb)
        .build();
  }
}

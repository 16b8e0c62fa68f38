package io.pretext.jobs.cli;

import io.pretext.data.augment.ViewRecipe;
import io.pretext.jobs.pretrain.ViewRecipes;
import io.pretext.model.InputShape;
import picocli.CommandLine.Option;

/** The view-recipe options shared by {@code pretrain} and {@code show-views}, so what you see is what trains. */
public final class ViewOptions {
  @Option(names = "--crop-scale-min", defaultValue = "0.2", description = "Smallest RandomResizedCrop area fraction (default: ${DEFAULT-VALUE}).")
  public double cropScaleMin;

  @Option(names = "--jitter", defaultValue = "0.5",
      description = "Colour jitter strength s: brightness = contrast = saturation = 0.8s, hue = 0.2s (default: ${DEFAULT-VALUE}).")
  public double jitter;

  @Option(names = "--jitter-prob", defaultValue = "1.0",
      description = "Probability that a view gets colour jitter (default: ${DEFAULT-VALUE}; SimCLR uses 0.8 on ImageNet and CIFAR).")
  public double jitterProb;

  @Option(names = "--blur-prob", defaultValue = "0", description = "Gaussian blur probability (default: ${DEFAULT-VALUE}; SimCLR uses 0.5 on ImageNet).")
  public double blurProb;

  public ViewRecipe recipe(InputShape shape) {
    return ViewRecipes.simclr(cropScaleMin, jitter, jitterProb, blurProb, shape);
  }
}

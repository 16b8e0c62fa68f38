package io.pretext.data.augment;

import java.io.Serializable;

/**
 * Produces the views of one record: {@link MultiViewSpec#globalViews()} views from the recipe and
 * {@link MultiViewSpec#smallCrops()} small crops from the same recipe at the small size and scale.
 * View {@code v} of record {@code k} in epoch {@code e} is drawn from
 * {@link ViewSeeds#rng ViewSeeds.rng(seed, e, k, v)}, so it is a pure function of
 * (seed, epoch, recordKey, viewIndex, original image) and independent of the other views.
 *
 * <p>Serializable and stateless after construction; one instance can be broadcast and used by
 * many threads. Use {@link ViewBatch} to lay out the views of a minibatch for the loss.
 */
public final class ViewGenerator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ViewRecipe recipe;
  private final MultiViewSpec spec;
  private final long seed;
  private final ViewTransform global;
  private final ViewTransform small;

  /**
   * @param recipe recipe of the global views
   * @param spec number of global and small views
   * @param seed run seed (from configuration)
   */
  public ViewGenerator(ViewRecipe recipe, MultiViewSpec spec, long seed) {
    if (recipe == null) {
      throw new IllegalArgumentException("recipe must not be null");
    }
    if (spec == null) {
      throw new IllegalArgumentException("spec must not be null");
    }
    this.recipe = recipe;
    this.spec = spec;
    this.seed = seed;
    this.global = recipe.toTransform();
    this.small = spec.smallCrops() == 0
        ? null
        : recipe.withCrop(spec.smallHeight(), spec.smallWidth(), spec.smallScaleMin(), spec.smallScaleMax())
            .toTransform();
  }

  public ViewRecipe recipe() {
    return recipe;
  }

  public MultiViewSpec spec() {
    return spec;
  }

  public long seed() {
    return seed;
  }

  /** Number of views per record, {@code spec().totalViews()}. */
  public int viewCount() {
    return spec.totalViews();
  }

  /** All views of one record: global views first, then small crops. */
  public FloatImage[] views(FloatImage original, int epoch, long recordKey) {
    checkInput(original);
    FloatImage[] out = new FloatImage[spec.totalViews()];
    for (int v = 0; v < out.length; v++) {
      out[v] = transformFor(v).apply(original, ViewSeeds.rng(seed, epoch, recordKey, v));
    }
    return out;
  }

  /** View {@code viewIndex} alone; equal to {@code views(original, epoch, recordKey)[viewIndex]}. */
  public FloatImage view(FloatImage original, int epoch, long recordKey, int viewIndex) {
    checkInput(original);
    if (viewIndex < 0 || viewIndex >= spec.totalViews()) {
      throw new IllegalArgumentException("viewIndex = " + viewIndex + " is outside the allowed range [0, "
          + (spec.totalViews() - 1) + "]");
    }
    return transformFor(viewIndex).apply(original, ViewSeeds.rng(seed, epoch, recordKey, viewIndex));
  }

  private ViewTransform transformFor(int v) {
    return spec.isGlobal(v) ? global : small;
  }

  private void checkInput(FloatImage original) {
    if (original == null) {
      throw new IllegalArgumentException("original image must not be null");
    }
    if (original.channels() != recipe.channels()) {
      throw new IllegalArgumentException("original image has channels = " + original.channels()
          + " but the recipe expects channels = " + recipe.channels());
    }
  }

  @Override
  public String toString() {
    return "ViewGenerator(" + recipe + ", " + spec + ", seed=" + seed + ")";
  }
}

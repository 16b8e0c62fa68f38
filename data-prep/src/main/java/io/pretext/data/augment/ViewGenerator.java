package io.pretext.data.augment;

import java.io.Serializable;
import java.util.List;

/**
 * Produces the views of one record, one {@link ViewRecipe} per view: view {@code v} is made by recipe {@code v}
 * (BYOL's two views differ: the first is always blurred, the second rarely blurred and sometimes solarized; SimCLR's
 * are alike). View {@code v} of record {@code k} in epoch {@code e} is drawn from
 * {@link ViewSeeds#rng ViewSeeds.rng(seed, e, k, v)}, so it is a pure function of (seed, epoch, recordKey, viewIndex,
 * original image) and independent of the other views.
 *
 * <p>Every view has the same channels and output size: they are stacked into one {@code [V*N, C, H, W]} minibatch
 * (see {@link ViewBatch}). Multi-crop views of a second, smaller size (SwAV) would need a second graph input and are
 * not offered.
 *
 * <p>Serializable and stateless after construction; one instance can be broadcast and used by
 * many threads.
 */
public final class ViewGenerator implements Serializable {
  private static final long serialVersionUID = 2L;

  private final List<ViewRecipe> recipes;
  private final long seed;
  private final ViewTransform[] transforms;

  /**
   * @param recipes the recipe of each view, at least one and at most 1024, all with the same output size and channels
   * @param seed run seed (from configuration)
   * @throws IllegalArgumentException if the recipes are missing or disagree on size or channels
   */
  public ViewGenerator(List<ViewRecipe> recipes, long seed) {
    if (recipes == null || recipes.isEmpty() || recipes.size() > 1024) {
      throw new IllegalArgumentException("recipes: " + (recipes == null ? "null" : recipes.size() + " views")
          + " is not allowed; allowed: 1..1024 recipes, one per view");
    }
    ViewRecipe first = recipes.get(0);
    for (int v = 1; v < recipes.size(); v++) {
      ViewRecipe r = recipes.get(v);
      if (r.outHeight() != first.outHeight() || r.outWidth() != first.outWidth() || r.channels() != first.channels()) {
        throw new IllegalArgumentException("view " + v + " is " + r.channels() + "x" + r.outHeight() + "x" + r.outWidth()
            + " but view 0 is " + first.channels() + "x" + first.outHeight() + "x" + first.outWidth()
            + "; every view of a minibatch must have the same channels and size");
      }
    }
    this.recipes = List.copyOf(recipes);
    this.seed = seed;
    this.transforms = this.recipes.stream().map(ViewRecipe::toTransform).toArray(ViewTransform[]::new);
  }

  /** {@code views} views, all made by {@code recipe}. */
  public static ViewGenerator uniform(ViewRecipe recipe, int views, long seed) {
    if (views < 1 || views > 1024) {
      throw new IllegalArgumentException("views = " + views + " is outside the allowed range [1, 1024]");
    }
    return new ViewGenerator(java.util.Collections.nCopies(views, recipe), seed);
  }

  /** The recipe of each view. */
  public List<ViewRecipe> recipes() {
    return recipes;
  }

  public long seed() {
    return seed;
  }

  /** Number of views per record. */
  public int viewCount() {
    return recipes.size();
  }

  /** All views of one record, in view order. */
  public FloatImage[] views(FloatImage original, int epoch, long recordKey) {
    checkInput(original);
    FloatImage[] out = new FloatImage[transforms.length];
    for (int v = 0; v < out.length; v++) {
      out[v] = transforms[v].apply(original, ViewSeeds.rng(seed, epoch, recordKey, v));
    }
    return out;
  }

  /**
   * The seed of a method's own noise for record {@code recordKey} in {@code epoch} (a denoising corruption, a VAE's
   * reparameterisation noise): {@code ViewSeeds.mix(seed, epoch, recordKey, viewCount())}, the stream of the index after
   * the last view, so it is a pure function of (seed, epoch, record) and independent of every view's stream.
   */
  public long noiseStream(int epoch, long recordKey) {
    return ViewSeeds.mix(seed, epoch, recordKey, transforms.length);
  }

  /** View {@code viewIndex} alone; equal to {@code views(original, epoch, recordKey)[viewIndex]}. */
  public FloatImage view(FloatImage original, int epoch, long recordKey, int viewIndex) {
    checkInput(original);
    if (viewIndex < 0 || viewIndex >= transforms.length) {
      throw new IllegalArgumentException("viewIndex = " + viewIndex + " is outside the allowed range [0, "
          + (transforms.length - 1) + "]");
    }
    return transforms[viewIndex].apply(original, ViewSeeds.rng(seed, epoch, recordKey, viewIndex));
  }

  private void checkInput(FloatImage original) {
    if (original == null) {
      throw new IllegalArgumentException("original image must not be null");
    }
    if (original.channels() != recipes.get(0).channels()) {
      throw new IllegalArgumentException("original image has channels = " + original.channels()
          + " but the recipe expects channels = " + recipes.get(0).channels());
    }
  }

  @Override
  public String toString() {
    return "ViewGenerator(" + recipes + ", seed=" + seed + ")";
  }
}

package io.pretext.data.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Applies transforms in order, threading one random stream through all of them (the
 * {@code torchvision.transforms.Compose} of the SimCLR recipe, Chen et al. 2020, Appendix A).
 */
public final class Compose implements ViewTransform {
  private static final long serialVersionUID = 1L;

  private final ViewTransform[] steps;

  private Compose(ViewTransform[] steps) {
    this.steps = steps;
  }

  /**
   * @param steps transforms applied first to last; an empty list is the identity
   * @throws IllegalArgumentException if the list or any element is null
   */
  public static Compose of(List<? extends ViewTransform> steps) {
    if (steps == null) {
      throw new IllegalArgumentException("steps must not be null");
    }
    ViewTransform[] arr = new ViewTransform[steps.size()];
    for (int i = 0; i < arr.length; i++) {
      ViewTransform t = steps.get(i);
      if (t == null) {
        throw new IllegalArgumentException("steps[" + i + "] must not be null");
      }
      arr[i] = t;
    }
    return new Compose(arr);
  }

  /** Varargs form of {@link #of(List)}. */
  public static Compose of(ViewTransform... steps) {
    // Arrays.asList, not List.of: List.of throws NullPointerException before we can name the index.
    return of(steps == null ? null : java.util.Arrays.asList(steps));
  }

  /** The steps, in order. */
  public List<ViewTransform> steps() {
    return List.of(steps);
  }

  @Override
  public FloatImage apply(FloatImage in, SplittableRandom rng) {
    FloatImage img = in;
    // After the first step that returns a new image, the image is ours and later steps may
    // overwrite it; the caller's input is never modified.
    boolean owned = false;
    for (ViewTransform t : steps) {
      FloatImage next = owned && t instanceof InPlaceTransform ip ? ip.applyOwned(img, rng) : t.apply(img, rng);
      owned |= next != img;
      img = next;
    }
    return img;
  }

  @Override
  public String toString() {
    return "Compose" + List.of(steps);
  }
}

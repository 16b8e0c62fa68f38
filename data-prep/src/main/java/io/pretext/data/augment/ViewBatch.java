package io.pretext.data.augment;

/**
 * Lays out V views of N images as one {@code float[]} of shape [V*N, C, H, W] grouped by view:
 * rows {@code 0 .. N-1} are view 0 of images 0..N-1, rows {@code N .. 2N-1} view 1, and so on.
 * This is the SimCLR minibatch layout (Chen et al. 2020, Algorithm 1: the 2N augmented examples,
 * with {@code z_k} and {@code z_{k+N}} forming the positive pair) that the NT-Xent loss expects.
 * Row {@code v * N + n} holds view {@code v} of image {@code n}.
 */
public final class ViewBatch {
  private ViewBatch() {}

  /**
   * Assembles views {@code [fromView, toView)} of every image.
   *
   * @param viewsPerImage {@code viewsPerImage[n][v]} is view v of image n (as returned by
   *     {@link ViewGenerator#views})
   * @throws IllegalArgumentException if the range is empty or out of bounds, or the selected views
   *     do not all have the same shape
   */
  public static float[] assemble(FloatImage[][] viewsPerImage, int fromView, int toView) {
    FloatImage first = check(viewsPerImage, fromView, toView);
    float[] dst = new float[viewsPerImage.length * (toView - fromView) * first.size()];
    fill(viewsPerImage, fromView, toView, dst, first.size());
    return dst;
  }

  /** Assembles all views of every image; they must all have the same shape. */
  public static float[] assemble(FloatImage[][] viewsPerImage) {
    if (viewsPerImage == null || viewsPerImage.length == 0 || viewsPerImage[0] == null) {
      throw new IllegalArgumentException("viewsPerImage must contain at least one image");
    }
    return assemble(viewsPerImage, 0, viewsPerImage[0].length);
  }

  /**
   * Like {@link #assemble(FloatImage[][], int, int)} but writes into {@code dst} (reusable buffer)
   * starting at offset 0.
   *
   * @throws IllegalArgumentException if {@code dst} is shorter than {@code N * V * C * H * W}
   */
  public static void assembleInto(FloatImage[][] viewsPerImage, int fromView, int toView, float[] dst) {
    FloatImage first = check(viewsPerImage, fromView, toView);
    long need = (long) viewsPerImage.length * (toView - fromView) * first.size();
    if (dst == null || dst.length < need) {
      throw new IllegalArgumentException("dst.length = " + (dst == null ? "null" : dst.length)
          + " is too small; need at least N*V*C*H*W = " + need);
    }
    fill(viewsPerImage, fromView, toView, dst, first.size());
  }

  /** Row of view {@code view} of image {@code image} in a batch of {@code n} images. */
  public static int row(int view, int image, int n) {
    return view * n + image;
  }

  private static void fill(FloatImage[][] views, int from, int to, float[] dst, int size) {
    int n = views.length;
    for (int v = from; v < to; v++) {
      for (int i = 0; i < n; i++) {
        views[i][v].copyTo(dst, row(v - from, i, n) * size);
      }
    }
  }

  private static FloatImage check(FloatImage[][] views, int from, int to) {
    if (views == null || views.length == 0) {
      throw new IllegalArgumentException("viewsPerImage must contain at least one image");
    }
    if (views[0] == null) {
      throw new IllegalArgumentException("viewsPerImage[0] must not be null");
    }
    if (from < 0 || to <= from || to > views[0].length) {
      throw new IllegalArgumentException("view range [" + from + ", " + to + ") is not allowed; allowed: "
          + "0 <= fromView < toView <= " + views[0].length);
    }
    FloatImage first = views[0][from];
    if (first == null) {
      throw new IllegalArgumentException("viewsPerImage[0][" + from + "] must not be null");
    }
    long total = (long) views.length * (to - from) * first.size();
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batch of " + total + " floats exceeds the maximum array size");
    }
    for (int i = 0; i < views.length; i++) {
      if (views[i] == null || views[i].length < to) {
        throw new IllegalArgumentException("viewsPerImage[" + i + "] has "
            + (views[i] == null ? "null" : views[i].length + " views") + "; need at least " + to);
      }
      for (int v = from; v < to; v++) {
        FloatImage img = views[i][v];
        if (img == null || !img.sameShape(first)) {
          throw new IllegalArgumentException("viewsPerImage[" + i + "][" + v + "] has shape "
              + (img == null ? "null" : img.shapeString()) + " but view " + from + " of image 0 has "
              + first.shapeString() + "; a batch needs one shape (assemble global and small views separately)");
        }
      }
    }
    return first;
  }
}

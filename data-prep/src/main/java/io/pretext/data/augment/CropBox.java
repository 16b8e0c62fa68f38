package io.pretext.data.augment;

/**
 * A crop rectangle in pixel coordinates of the source image: rows {@code [top, top + height)},
 * columns {@code [left, left + width)}.
 *
 * @param top first row
 * @param left first column
 * @param height number of rows, at least 1
 * @param width number of columns, at least 1
 * @param fallback true if the 10 sampling attempts failed and this is the center crop
 */
public record CropBox(int top, int left, int height, int width, boolean fallback) {
  public CropBox {
    if (top < 0 || left < 0 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "crop (top, left, height, width) = (" + top + ", " + left + ", " + height + ", " + width
              + ") needs top >= 0, left >= 0, height >= 1, width >= 1");
    }
  }
}

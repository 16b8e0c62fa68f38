package io.pretext.data.preview;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.image.Pixels;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Renders rows of images into one picture: each row is an original followed by its views.
 * Every tile is {@code tile x tile} pixels (nearest-neighbour scaling, so small images stay
 * sharp), separated by a {@code gap}-pixel white gutter.
 */
public final class ViewGrid {
  private ViewGrid() {}

  public static BufferedImage render(List<FloatImage[]> rows, int tile, int gap) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("nothing to render: no rows");
    }
    if (tile < 1 || gap < 0) {
      throw new IllegalArgumentException("tile must be >= 1 and gap >= 0, got " + tile + ", " + gap);
    }
    int cols = rows.stream().mapToInt(r -> r.length).max().orElse(1);
    int width = cols * tile + (cols + 1) * gap;
    int height = rows.size() * tile + (rows.size() + 1) * gap;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out.setRGB(x, y, 0xFFFFFF);
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      FloatImage[] row = rows.get(r);
      for (int c = 0; c < row.length; c++) {
        draw(out, row[c], gap + c * (tile + gap), gap + r * (tile + gap), tile);
      }
    }
    return out;
  }

  private static void draw(BufferedImage out, FloatImage img, int x0, int y0, int tile) {
    int h = img.height();
    int w = img.width();
    for (int ty = 0; ty < tile; ty++) {
      int sy = Math.min(h - 1, ty * h / tile);
      for (int tx = 0; tx < tile; tx++) {
        int sx = Math.min(w - 1, tx * w / tile);
        int rgb;
        if (img.channels() == 1) {
          int v = level(img.get(0, sy, sx));
          rgb = (v << 16) | (v << 8) | v;
        } else {
          rgb = (level(img.get(0, sy, sx)) << 16) | (level(img.get(1, sy, sx)) << 8) | level(img.get(2, sy, sx));
        }
        out.setRGB(x0 + tx, y0 + ty, rgb);
      }
    }
  }

  private static int level(float v) {
    return Pixels.fromInput(v) & 0xFF;
  }
}

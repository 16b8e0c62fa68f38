package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ViewBatchTest {

  /** views[n][v] is a constant image whose value encodes (n, v), so every row is identifiable. */
  private static FloatImage[][] tagged(int n, int v, int c, int h, int w) {
    FloatImage[][] views = new FloatImage[n][v];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < v; j++) {
        float[] d = new float[c * h * w];
        for (int k = 0; k < d.length; k++) {
          d[k] = (i * 16 + j) / 1024f + k / (1024f * 64);
        }
        views[i][j] = FloatImage.of(c, h, w, d);
      }
    }
    return views;
  }

  @ParameterizedTest(name = "N={0} V={1} C={2} H={3} W={4}")
  @CsvSource({"4, 2, 3, 2, 3", "1, 2, 1, 4, 4", "3, 5, 1, 1, 2", "5, 1, 3, 1, 1"})
  void layoutIsViewMajor(int n, int v, int c, int h, int w) {
    FloatImage[][] views = tagged(n, v, c, h, w);
    float[] batch = ViewBatch.assemble(views);
    int size = c * h * w;
    assertEquals(v * n * size, batch.length);
    for (int j = 0; j < v; j++) {
      for (int i = 0; i < n; i++) {
        int row = j * n + i;
        assertEquals(row, ViewBatch.row(j, i, n));
        float[] expected = views[i][j].data();
        float[] actual = java.util.Arrays.copyOfRange(batch, row * size, (row + 1) * size);
        assertArrayEquals(expected, actual, "row " + row + " should be view " + j + " of image " + i);
      }
    }
  }

  @Test
  void explicitSmallExample() {
    // N=2 images, V=2 views, 1x1x1 pixels: batch = [img0.v0, img1.v0, img0.v1, img1.v1]
    FloatImage[][] views = {
      {FloatImage.of(1, 1, 1, new float[] {0.1f}), FloatImage.of(1, 1, 1, new float[] {0.2f})},
      {FloatImage.of(1, 1, 1, new float[] {0.3f}), FloatImage.of(1, 1, 1, new float[] {0.4f})}
    };
    assertArrayEquals(new float[] {0.1f, 0.3f, 0.2f, 0.4f}, ViewBatch.assemble(views));
  }

  @Test
  void subRangeAndAssembleIntoSelectViewsOfOneShape() {
    ViewGenerator big = ViewGenerator.uniform(ViewRecipe.simclr(24, 24, 3), 2, 3);
    ViewGenerator g = ViewGenerator.uniform(ViewRecipe.simclr(8, 8, 3), 2, 3);
    FloatImage[][] views = new FloatImage[3][];
    for (int i = 0; i < 3; i++) {
      FloatImage image = TestImages.random(3, 30, 30, i);
      FloatImage[] both = big.views(image, 0, i);
      FloatImage[] small = g.views(image, 0, i);
      views[i] = new FloatImage[] {both[0], both[1], small[0], small[1]};
    }
    float[] small = ViewBatch.assemble(views, 2, 4);
    assertEquals(2 * 3 * 3 * 8 * 8, small.length);
    float[] into = new float[small.length + 10];
    ViewBatch.assembleInto(views, 2, 4, into);
    assertArrayEquals(small, java.util.Arrays.copyOf(into, small.length));
    // row 1 * 3 + 2: second small crop (view 3) of image 2
    assertArrayEquals(views[2][3].data(), java.util.Arrays.copyOfRange(small, 5 * 192, 6 * 192));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ViewBatch.assemble(views));
    assertTrue(e.getMessage().contains("one shape"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ViewBatch.assembleInto(views, 0, 2, new float[10]));
    assertTrue(e.getMessage().startsWith("dst.length = 10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ViewBatch.assemble(views, 1, 5));
    assertTrue(e.getMessage().startsWith("view range [1, 5)"), e.getMessage());
  }
}

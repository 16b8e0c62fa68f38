package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ViewGeneratorTest {

  private static final FloatImage RGB = TestImages.random(3, 64, 48, 1);
  private static final FloatImage GRAY = TestImages.random(1, 28, 28, 2);

  @ParameterizedTest(name = "{0}")
  @CsvSource({"small-gray", "imagenet-rgb"})
  void sameInputsGiveIdenticalArraysAcrossInstances(String which) {
    boolean gray = which.equals("small-gray");
    ViewRecipe r = gray ? ViewRecipe.simclrSmall(28, 28, 1) : ViewRecipe.simclr(32, 32, 3);
    FloatImage img = gray ? GRAY : RGB;
    FloatImage[] a = ViewGenerator.uniform(r, 2, 99).views(img, 4, 123456789L);
    FloatImage[] b = ViewGenerator.uniform(r, 2, 99).views(img, 4, 123456789L);
    for (int v = 0; v < a.length; v++) {
      assertArrayEquals(a[v].data(), b[v].data());
    }
    assertFalse(a[0].equals(a[1]), "view 0 and view 1 must differ");
  }

  @Test
  void eachCoordinateChangesTheViews() {
    ViewGenerator g = ViewGenerator.uniform(ViewRecipe.simclr(32, 32, 3), 2, 99);
    FloatImage base = g.view(RGB, 1, 10L, 0);
    assertFalse(base.equals(g.view(RGB, 1, 10L, 1)), "view index");
    assertFalse(base.equals(g.view(RGB, 2, 10L, 0)), "epoch");
    assertFalse(base.equals(g.view(RGB, 1, 11L, 0)), "record");
    ViewGenerator other = ViewGenerator.uniform(ViewRecipe.simclr(32, 32, 3), 2, 100);
    assertFalse(base.equals(other.view(RGB, 1, 10L, 0)), "seed");
  }

  @Test
  void singleViewEqualsTheViewInTheArray() {
    ViewGenerator g = ViewGenerator.uniform(ViewRecipe.simclr(32, 32, 3), 5, 5);
    FloatImage[] all = g.views(RGB, 0, 77L);
    for (int v = 0; v < all.length; v++) {
      assertEquals(all[v], g.view(RGB, 0, 77L, v));
    }
  }

  /**
   * The first call runs interpreted; after thousands of calls the loops are C2-compiled and
   * auto-vectorized. Views must not change with the JIT tier (Java float arithmetic is IEEE
   * without contraction, transcendental functions use StrictMath), or a task retried on a warm
   * executor would produce different views from a cold one.
   */
  @Test
  void viewsDoNotDependOnTheJitTier() {
    ViewGenerator g = ViewGenerator.uniform(ViewRecipe.simclr(24, 24, 3), 3, 3);
    FloatImage small = TestImages.random(3, 30, 30, 9);
    FloatImage[] cold = g.views(small, 0, 5L);
    for (int i = 0; i < 4000; i++) {
      g.views(small, 0, i);
    }
    FloatImage[] warm = g.views(small, 0, 5L);
    for (int v = 0; v < cold.length; v++) {
      assertArrayEquals(cold[v].data(), warm[v].data(), "view " + v);
    }
  }

  @Test
  void eachViewUsesItsOwnRecipeWithTheSeedsOfItsIndex() {
    ViewRecipe blurred = ViewRecipe.builder(32, 32, 3).blurProb(1.0).build();
    ViewRecipe solarized = ViewRecipe.builder(32, 32, 3).blurProb(0.0).solarize(1.0, 0.5).build();
    ViewGenerator g = new ViewGenerator(java.util.List.of(blurred, solarized), 5);
    FloatImage[] v = g.views(RGB, 2, 31L);
    assertEquals(ViewGenerator.uniform(blurred, 2, 5).views(RGB, 2, 31L)[0], v[0]);
    assertEquals(ViewGenerator.uniform(solarized, 2, 5).views(RGB, 2, 31L)[1], v[1]);
    assertFalse(v[1].equals(ViewGenerator.uniform(blurred, 2, 5).views(RGB, 2, 31L)[1]), "view 1 must not use view 0's recipe");
  }

  @Test
  void viewsOfDifferentSizesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ViewGenerator(java.util.List.of(ViewRecipe.simclr(32, 32, 3), ViewRecipe.simclr(16, 16, 3)), 1));
    assertTrue(e.getMessage().contains("view 1 is 3x16x16 but view 0 is 3x32x32"), e.getMessage());
  }

  @Test
  void survivesJavaSerializationWithIdenticalOutput() throws Exception {
    ViewGenerator g = ViewGenerator.uniform(ViewRecipe.simclr(32, 32, 3), 4, 42);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
      out.writeObject(g);
    }
    ViewGenerator copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
      copy = (ViewGenerator) in.readObject();
    }
    FloatImage[] a = g.views(RGB, 3, 9L);
    FloatImage[] b = copy.views(RGB, 3, 9L);
    for (int v = 0; v < a.length; v++) {
      assertArrayEquals(a[v].data(), b[v].data());
    }
  }

  @Test
  void viewsStayInUnitRange() {
    ViewGenerator g = ViewGenerator.uniform(
        ViewRecipe.builder(32, 32, 3).solarize(0.5, 0.5).build(), 2, 1);
    for (long r = 0; r < 50; r++) {
      for (FloatImage v : g.views(RGB, 0, r)) {
        for (float p : v.data()) {
          assertTrue(p >= 0f && p <= 1f + 1e-6f, "pixel " + p);
        }
      }
    }
  }

  /**
   * An independent property of the whole recipe: every transform is either spatial (crop, resize, flip, blur with
   * reflected borders) or the same function of each pixel's value (jitter, grayscale, solarize; contrast blends toward
   * the image's mean), so the views of a constant image are constant images, whatever the draws. A transform that
   * shifted, wrapped or padded with zeros would show at the borders. The default recipes and one with solarize, over
   * many records and both views.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"small-gray", "imagenet-rgb", "solarize-rgb"})
  void viewsOfAConstantImageAreConstant(String which) {
    ViewRecipe r = switch (which) {
      case "small-gray" -> ViewRecipe.simclrSmall(28, 28, 1);
      case "imagenet-rgb" -> ViewRecipe.simclr(32, 32, 3);
      default -> ViewRecipe.builder(32, 32, 3).solarize(0.5, 0.5).build();
    };
    int c = r.channels();
    float[] d = new float[c * 40 * 36];
    float[] colour = {0.8f, 0.35f, 0.1f};
    for (int i = 0; i < d.length; i++) {
      d[i] = c == 1 ? 0.6f : colour[i / (40 * 36)];
    }
    FloatImage img = FloatImage.of(c, 40, 36, d);
    ViewGenerator g = ViewGenerator.uniform(r, 2, 3);
    for (long record = 0; record < 40; record++) {
      for (FloatImage v : g.views(img, 0, record)) {
        for (int ch = 0; ch < v.channels(); ch++) {
          float first = v.get(ch, 0, 0);
          for (int y = 0; y < v.height(); y++) {
            for (int x = 0; x < v.width(); x++) {
              assertEquals(first, v.get(ch, y, x), 1e-5f, which + ", record " + record + ", channel " + ch + " at (" + y + ", " + x + ")");
            }
          }
        }
      }
    }
  }

  @Test
  void channelMismatchAndBadViewIndexRejected() {
    ViewGenerator g = ViewGenerator.uniform(ViewRecipe.simclrSmall(28, 28, 1), 2, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.views(RGB, 0, 0));
    assertTrue(e.getMessage().contains("channels = 3") && e.getMessage().contains("channels = 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> g.view(GRAY, 0, 0, 2));
    assertTrue(e.getMessage().startsWith("viewIndex = 2 is outside the allowed range [0, 1]"), e.getMessage());
  }
}

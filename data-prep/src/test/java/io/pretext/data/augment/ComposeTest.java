package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ComposeTest {

  @Test
  void neverModifiesTheCallersImage() {
    FloatImage in = TestImages.random(3, 32, 32, 1);
    float[] before = in.data();
    // crop to the same size can return a fresh image; later in-place steps must touch only that
    ViewTransform t = ViewRecipe.builder(32, 32, 3).cropScale(1, 1).flipProb(1).blurProb(1)
        .solarize(1, 0.5).grayscaleProb(1).build().toTransform();
    for (long s = 0; s < 20; s++) {
      t.apply(in, new SplittableRandom(s));
      assertArrayEquals(before, in.data());
    }
    // and without a fresh first step: flip then solarize both in "apply" mode
    Compose c = Compose.of(new HorizontalFlip(1), new Solarize(0.5, 1));
    FloatImage out = c.apply(in, new SplittableRandom(0));
    assertArrayEquals(before, in.data());
    assertEquals(Solarize.solarize(HorizontalFlip.flip(in), 0.5f), out);
  }

  @Test
  void appliesStepsInOrderWithOneStream() {
    FloatImage in = TestImages.random(1, 4, 4, 2);
    ViewTransform first = (img, rng) -> Solarize.solarize(img, (float) rng.nextDouble());
    ViewTransform second = (img, rng) -> HorizontalFlip.flip(img);
    SplittableRandom a = new SplittableRandom(7);
    FloatImage expected = second.apply(first.apply(in, a), a);
    assertEquals(expected, Compose.of(first, second).apply(in, new SplittableRandom(7)));
  }

  @Test
  void emptyIsIdentityAndNullsRejected() {
    FloatImage in = TestImages.random(1, 2, 2, 3);
    assertSame(in, Compose.of().apply(in, new SplittableRandom(0)));
    assertThrows(IllegalArgumentException.class, () -> Compose.of(new HorizontalFlip(1), null));
  }
}

package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HorizontalFlipTest {

  @ParameterizedTest(name = "{0}ch {1}x{2}")
  @CsvSource({"1, 28, 28", "3, 5, 7", "1, 1, 1", "3, 4, 1"})
  void flipIsAnExactInvolution(int c, int h, int w) {
    FloatImage in = TestImages.random(c, h, w, 11);
    assertArrayEquals(in.data(), HorizontalFlip.flip(HorizontalFlip.flip(in)).data());
  }

  /** Twice through {@code apply} and twice through the in-place path {@link Compose} uses, at p = 1: the input again. */
  @ParameterizedTest(name = "{0}ch {1}x{2}")
  @CsvSource({"1, 28, 28", "3, 5, 7", "3, 4, 1"})
  void appliedTwiceIsTheIdentityOnEveryPath(int c, int h, int w) {
    FloatImage in = TestImages.random(c, h, w, 12);
    HorizontalFlip always = new HorizontalFlip(1.0);
    SplittableRandom rng = new SplittableRandom(3);
    assertArrayEquals(in.data(), always.apply(always.apply(in, rng), rng).data());
    assertArrayEquals(in.data(), Compose.of(always, always).apply(in, rng).data());
    FloatImage owned = FloatImage.trusted(c, h, w, in.data());
    assertArrayEquals(in.data(), always.applyOwned(always.applyOwned(owned, rng), rng).data());
  }

  @Test
  void flipMirrorsEachRow() {
    FloatImage in = TestImages.ramp(3, 2, 3);
    FloatImage out = HorizontalFlip.flip(in);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          assertEquals(in.get(c, y, 2 - x), out.get(c, y, x));
        }
      }
    }
  }

  @Test
  void probabilityEndpoints() {
    FloatImage in = TestImages.random(1, 4, 6, 2);
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 20; i++) {
      assertSame(in, new HorizontalFlip(0.0).apply(in, rng));
      assertEquals(HorizontalFlip.flip(in), new HorizontalFlip(1.0).apply(in, rng));
    }
  }

  @Test
  void flipsAboutHalfTheTimeAtPHalf() {
    FloatImage in = TestImages.random(1, 4, 6, 2);
    HorizontalFlip f = new HorizontalFlip(0.5);
    SplittableRandom rng = new SplittableRandom(4);
    int flipped = 0;
    for (int i = 0; i < 4000; i++) {
      if (f.apply(in, rng) != in) {
        flipped++;
      }
    }
    assertTrue(flipped > 1800 && flipped < 2200, "flipped " + flipped + " of 4000");
  }

  @ParameterizedTest
  @CsvSource({"-0.1", "1.1", "NaN"})
  void invalidProbabilityRejected(double p) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(p));
    assertTrue(e.getMessage().startsWith("flipProb = ") && e.getMessage().contains("[0, 1]"), e.getMessage());
  }
}

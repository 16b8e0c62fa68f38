package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomGrayscaleTest {

  @Test
  void outputChannelsAreEqualAndAreTheLuma() {
    FloatImage in = TestImages.random(3, 7, 5, 3);
    FloatImage out = new RandomGrayscale(1.0).apply(in, new SplittableRandom(0));
    assertEquals(3, out.channels());
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 5; x++) {
        float g = out.get(0, y, x);
        assertEquals(g, out.get(1, y, x));
        assertEquals(g, out.get(2, y, x));
        double luma = 0.2989 * in.get(0, y, x) + 0.587 * in.get(1, y, x) + 0.114 * in.get(2, y, x);
        assertEquals(luma, g, 1e-6);
      }
    }
  }

  @Test
  void whiteStaysWithinRange() {
    FloatImage out = RandomGrayscale.toGray(TestImages.constant(3, 2, 2, 1f));
    for (float v : out.data()) {
      assertTrue(v <= 1f && v > 0.999f, "pixel " + v);
    }
  }

  @Test
  void grayscaleInputUnchangedAndZeroProbabilityIsIdentity() {
    FloatImage gray = TestImages.random(1, 4, 4, 1);
    assertSame(gray, new RandomGrayscale(1.0).apply(gray, new SplittableRandom(0)));
    FloatImage rgb = TestImages.random(3, 4, 4, 1);
    assertSame(rgb, new RandomGrayscale(0.0).apply(rgb, new SplittableRandom(0)));
  }

  @Test
  void invalidProbabilityRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RandomGrayscale(2));
    assertTrue(e.getMessage().startsWith("grayscaleProb = 2.0"), e.getMessage());
  }
}

package io.pretext.jobs.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link Nmi} against closed forms. */
class NmiTest {

  @Test
  void aRelabellingIsOneAndIndependenceIsZero() {
    assertEquals(1.0, Nmi.of(new long[][] {{5, 0, 0}, {0, 0, 7}, {0, 3, 0}}), 1e-12, "a permutation of the labels");
    assertEquals(0.0, Nmi.of(new long[][] {{2, 4}, {3, 6}}), 1e-12, "rows proportional: independent");
    assertEquals(0.0, Nmi.of(new long[][] {{4, 6}}), 0.0, "one class on one side: zero entropy");
  }

  @Test
  void aKnownValue() {
    // A = {0,0,1,1}, B = {0,0,0,1}: H(A) = ln 2, H(B) = -(3/4 ln 3/4 + 1/4 ln 1/4),
    // I = H(B) - H(B|A) = H(B) - 1/2 H({1/2, 1/2}) = H(B) - 1/2 ln 2
    double hb = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    double expected = (hb - 0.5 * Math.log(2)) / Math.sqrt(Math.log(2) * hb);
    assertEquals(expected, Nmi.of(new long[][] {{2, 0}, {1, 1}}), 1e-12);
    assertEquals(Nmi.of(new long[][] {{2, 0}, {1, 1}}), Nmi.of(new long[][] {{2, 1}, {0, 1}}), 1e-12, "symmetric");
  }

  @Test
  void refusesNegativeCountsAndEmptyTables() {
    assertThrows(IllegalArgumentException.class, () -> Nmi.of(new long[][] {{1, -1}}));
    assertThrows(IllegalArgumentException.class, () -> Nmi.of(new long[][] {{0, 0}}));
  }
}

package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiViewSpecTest {

  @Test
  void defaults() {
    MultiViewSpec s = MultiViewSpec.simclr();
    assertEquals(2, s.globalViews());
    assertEquals(0, s.smallCrops());
    assertEquals(2, s.totalViews());
    MultiViewSpec m = MultiViewSpec.multiCrop(6, 96);
    assertEquals(8, m.totalViews());
    assertEquals(0.05, m.smallScaleMin());
    assertEquals(0.14, m.smallScaleMax());
    assertTrue(m.isGlobal(1));
    assertFalse(m.isGlobal(2));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "globalViews, 0, 0, 96, 96, 0.05, 0.14",
    "smallCrops, 2, -1, 96, 96, 0.05, 0.14",
    "smallHeight, 2, 6, 0, 96, 0.05, 0.14",
    "smallWidth, 2, 6, 96, 0, 0.05, 0.14",
    "smallScaleMin, 2, 6, 96, 96, 0.0, 0.14",
    "smallScaleMax, 2, 6, 96, 96, 0.05, 1.5",
    "smallScaleMin, 2, 6, 96, 96, 0.3, 0.14",
    "globalViews + smallCrops, 2, 2000, 96, 96, 0.05, 0.14"
  })
  void invalidRejected(String name, int g, int s, int h, int w, double lo, double hi) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new MultiViewSpec(g, s, h, w, lo, hi));
    assertTrue(e.getMessage().startsWith(name + " = "), e.getMessage());
  }
}

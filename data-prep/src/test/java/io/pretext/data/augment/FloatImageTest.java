package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloatImageTest {

  @Test
  void bytesRoundTripEveryValueExactly() {
    byte[] all = new byte[3 * 16 * 16];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    FloatImage img = FloatImage.fromBytes(all, 3, 16, 16);
    assertArrayEquals(all, img.toBytes());
    assertEquals(0f, img.get(0, 0, 0));
    assertEquals(1f, img.get(0, 15, 15)); // byte 255
    assertEquals(128 / 255f, img.get(0, 8, 0));
  }

  @Test
  void chwIndexing() {
    byte[] b = new byte[3 * 2 * 4];
    int c = 1;
    int y = 1;
    int x = 2;
    b[(c * 2 + y) * 4 + x] = (byte) 200;
    FloatImage img = FloatImage.fromBytes(b, 3, 2, 4);
    assertEquals(200 / 255f, img.get(1, 1, 2));
    assertEquals(0f, img.get(0, 1, 2));
    assertEquals(0f, img.get(2, 1, 2));
  }

  @Test
  void accessorsCopy() {
    float[] d = {0.1f, 0.2f, 0.3f, 0.4f};
    FloatImage img = FloatImage.of(1, 2, 2, d);
    d[0] = 0.9f;
    assertEquals(0.1f, img.get(0, 0, 0), "of() must copy its input");
    float[] out = img.data();
    out[1] = 0.9f;
    assertEquals(0.2f, img.get(0, 0, 1), "data() must return a copy");
    assertNotSame(img.data(), img.data());
  }

  @ParameterizedTest(name = "c={0} h={1} w={2} -> {3}")
  @CsvSource({"2, 4, 4, channels", "0, 4, 4, channels", "1, 0, 4, height", "3, 4, -1, width"})
  void invalidShapeRejectedNamingParameter(int c, int h, int w, String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FloatImage.fromBytes(new byte[0], c, h, w));
    assertTrue(e.getMessage().startsWith(name + " = "), e.getMessage());
  }

  @Test
  void lengthMismatchRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FloatImage.fromBytes(new byte[5], 1, 2, 2));
    assertTrue(e.getMessage().contains("chwUint8.length = 5"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"-0.001", "1.001", "NaN"})
  void outOfRangePixelRejected(float v) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FloatImage.of(1, 1, 2, new float[] {0.5f, v}));
    assertTrue(e.getMessage().contains("chw[1]") && e.getMessage().contains("[0, 1]"), e.getMessage());
  }

  @Test
  void toBytesRoundsAndClamps() {
    FloatImage img = FloatImage.trusted(1, 1, 4, new float[] {-0.5f, 0.5f, 1.5f, 0.999f});
    assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, (byte) 255}, img.toBytes());
  }
}

package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResizeTest {
  @ParameterizedTest
  @CsvSource({"100,60,32", "60,100,32", "17,17,40", "300,200,224", "5,9,3"})
  void constantImageStaysConstantAtTheRequestedSize(int h, int w, int size) {
    byte[] px = new byte[3 * h * w];
    Arrays.fill(px, 0, h * w, (byte) 10);
    Arrays.fill(px, h * w, 2 * h * w, (byte) 128);
    Arrays.fill(px, 2 * h * w, 3 * h * w, (byte) 250);
    DecodedImage out = Resize.shorterSideThenCenterCrop(new DecodedImage(3, h, w, px), size);
    assertEquals(size, out.height());
    assertEquals(size, out.width());
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        assertEquals(10, out.get(0, y, x));
        assertEquals(128, out.get(1, y, x));
        assertEquals(250, out.get(2, y, x));
      }
    }
  }

  @Test
  void centerCropKeepsTheMiddleColumns() {
    // 4 rows x 8 columns, each column's value is its index * 10; size 4 keeps columns 2..5 exactly.
    byte[] px = new byte[32];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        px[y * 8 + x] = (byte) (x * 10);
      }
    }
    DecodedImage out = Resize.shorterSideThenCenterCrop(new DecodedImage(1, 4, 8, px), 4);
    for (int y = 0; y < 4; y++) {
      assertArrayEquals(new int[] {20, 30, 40, 50}, new int[] {out.get(0, y, 0), out.get(0, y, 1), out.get(0, y, 2), out.get(0, y, 3)});
    }
  }

  @Test
  void downscaleByTwoAveragesPairs() {
    // Columns alternate 0 and 200. Halving must average them (antialiasing), not pick one: away from
    // the border the triangle filter's weights (1/8, 3/8, 3/8, 1/8) give exactly 100.
    byte[] px = new byte[64];
    for (int i = 0; i < 64; i++) {
      px[i] = (byte) ((i % 2) * 200);
    }
    DecodedImage out = Resize.shorterSideThenCenterCrop(new DecodedImage(1, 8, 8, px), 4);
    for (int y = 0; y < 4; y++) {
      assertEquals(100, out.get(0, y, 1));
      assertEquals(100, out.get(0, y, 2));
    }
  }

  @Test
  void sameSizeIsIdentity() {
    DecodedImage in = new DecodedImage(1, 3, 3, new byte[9]);
    assertSame(in, Resize.shorterSideThenCenterCrop(in, 3));
  }
}

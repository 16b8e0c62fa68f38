package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pretext.data.testing.TestImages;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IdxFileTest {
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void readsImagesGzippedOrNot(boolean gzip) throws IOException {
    IdxFile f = IdxFile.parse(TestImages.idxImages(5, 4, 3, 1, gzip));
    assertArrayEquals(new int[] {5, 4, 3}, f.dims());
    assertEquals(5, f.completeCount());
    DecodedImage img = f.image(2);
    assertEquals(4, img.height());
    assertEquals(3, img.width());
    assertEquals((2 * 37 + 1) & 0xFF, img.get(0, 0, 0));
  }

  @Test
  void truncatedFileReportsCompleteItemsOnly() throws IOException {
    byte[] full = TestImages.idxImages(10, 2, 2, 0, false);
    IdxFile f = IdxFile.parse(TestImages.truncate(full, 0.5));
    assertEquals(10, f.declaredCount());
    assertEquals((full.length / 2 - 16) / 4, f.completeCount());
  }

  @Test
  void labels() throws IOException {
    IdxFile f = IdxFile.parse(TestImages.idxLabels(new int[] {3, 1, 4}));
    assertEquals(3, f.completeCount());
    assertEquals(4, f.label(2));
  }

  @Test
  void badMagicIsAnError() {
    assertThrows(IOException.class, () -> IdxFile.parse(new byte[] {1, 2, 3, 4, 5}));
    assertThrows(IOException.class, () -> IdxFile.parse(new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1}));
  }
}

package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, "png", out));
    return out.toByteArray();
  }

  @Test
  void pngRgbDecodesExactlyToChw() throws IOException {
    BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        img.setRGB(x, y, (10 * x) << 16 | (20 * y) << 8 | (x + y));
      }
    }
    FloatImage f = ImageDecoder.decode(png(img), 3);
    assertEquals("[3, 3, 5]", f.shapeString());
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        assertEquals(10 * x / 255f, f.get(0, y, x));
        assertEquals(20 * y / 255f, f.get(1, y, x));
        assertEquals((x + y) / 255f, f.get(2, y, x));
      }
    }
  }

  @Test
  void fastAndGenericPathsAgree() {
    BufferedImage bgr = new BufferedImage(7, 4, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage argb = new BufferedImage(7, 4, BufferedImage.TYPE_INT_ARGB);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 7; x++) {
        int rgb = rng.nextInt(1 << 24);
        bgr.setRGB(x, y, rgb);
        argb.setRGB(x, y, 0xFF000000 | rgb);
      }
    }
    assertEquals(ImageDecoder.fromBufferedImage(argb, 3), ImageDecoder.fromBufferedImage(bgr, 3));
    assertEquals(ImageDecoder.fromBufferedImage(argb, 1), ImageDecoder.fromBufferedImage(bgr, 1));
  }

  @Test
  void grayToThreeChannelsReplicates() throws IOException {
    BufferedImage g = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(1, 0, 0, 200);
    FloatImage f = ImageDecoder.decode(png(g), 3);
    for (int c = 0; c < 3; c++) {
      assertEquals(200 / 255f, f.get(c, 0, 1));
      assertEquals(0f, f.get(c, 1, 1));
    }
  }

  @Test
  void jpegDecodesCloseToTheSource() throws IOException {
    BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        img.setRGB(x, y, (200 << 16) | (100 << 8) | 30);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, "jpg", out));
    FloatImage f = ImageDecoder.decode(out.toByteArray(), 3);
    assertEquals("[3, 16, 32]", f.shapeString());
    assertEquals(200 / 255f, f.get(0, 8, 16), 4 / 255f);
    assertEquals(100 / 255f, f.get(1, 8, 16), 4 / 255f);
    assertEquals(30 / 255f, f.get(2, 8, 16), 4 / 255f);
  }

  @Test
  void garbageRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageDecoder.decode(new byte[] {1, 2, 3}, 3));
    assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());
  }
}

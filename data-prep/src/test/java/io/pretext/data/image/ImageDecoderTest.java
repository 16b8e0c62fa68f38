package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.RejectedImageException.Reason;
import io.pretext.data.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
  private final ImageDecoder rgb = new ImageDecoder(3, 1_000_000);
  private final ImageDecoder gray = new ImageDecoder(1, 1_000_000);

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp"})
  void losslessFormatsRoundTripExactly(String format) throws Exception {
    BufferedImage img = TestImages.rgb(9, 7, 3);
    DecodedImage d = rgb.decode(TestImages.encode(img, format));
    assertEquals(3, d.channels());
    assertEquals(7, d.height());
    assertEquals(9, d.width());
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 9; x++) {
        int p = img.getRGB(x, y);
        assertEquals((p >> 16) & 0xFF, d.get(0, y, x));
        assertEquals((p >> 8) & 0xFF, d.get(1, y, x));
        assertEquals(p & 0xFF, d.get(2, y, x));
      }
    }
  }

  @Test
  void grayConversionIsBt601Luma() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xFF0000);
    img.setRGB(1, 0, 0x10C020);
    DecodedImage d = gray.decode(TestImages.encode(img, "png"));
    assertEquals(1, d.channels());
    assertEquals(Math.round(0.299 * 255), d.get(0, 0, 0));
    assertEquals((299 * 0x10 + 587 * 0xC0 + 114 * 0x20 + 500) / 1000, d.get(0, 0, 1));
  }

  @Test
  void jpegAndGifDecode() throws Exception {
    BufferedImage img = TestImages.rgb(16, 12, 5);
    assertEquals(12, rgb.decode(TestImages.encode(img, "jpeg")).height());
    DecodedImage gif = rgb.decode(TestImages.encode(img, "gif"));
    assertEquals(16, gif.width());
  }

  @Test
  void sixteenBitPngIsRoundedToEightBits() throws Exception {
    DecodedImage d = gray.decode(TestImages.png16(5, 4, 200));
    for (int i = 0; i < 20; i++) {
      assertEquals(200, d.pixels()[i] & 0xFF);
    }
    DecodedImage asRgb = rgb.decode(TestImages.png16(5, 4, 17));
    assertEquals(17, asRgb.get(2, 3, 4));
  }

  @Test
  void emptyInputIsRejected() {
    assertEquals(Reason.EMPTY, assertThrows(RejectedImageException.class, () -> rgb.decode(new byte[0])).reason());
  }

  @Test
  void textIsNotAnImage() {
    byte[] text = "hello, world".getBytes(StandardCharsets.UTF_8);
    assertEquals(Reason.NOT_AN_IMAGE, assertThrows(RejectedImageException.class, () -> rgb.decode(text)).reason());
  }

  @Test
  void tiffAndWebpAreImagesInAFormatNotRead() throws java.io.IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    java.io.ByteArrayOutputStream tiff = new java.io.ByteArrayOutputStream();
    assertTrue(javax.imageio.ImageIO.write(img, "tiff", tiff), "the JDK writes TIFF");
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> rgb.decode(tiff.toByteArray()));
    assertEquals(Reason.UNSUPPORTED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("TIFF") && e.getMessage().contains("convert"), e.getMessage());

    byte[] webp = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    e = assertThrows(RejectedImageException.class, () -> rgb.decode(webp));
    assertEquals(Reason.UNSUPPORTED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("WebP"), e.getMessage());
  }

  @Test
  void cmykJpegIsUnsupported() {
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> rgb.decode(TestImages.cmykJpeg(8, 8)));
    assertEquals(Reason.UNSUPPORTED, e.reason(), e.getMessage());
  }

  @Test
  void hugeHeaderIsRefusedBeforeDecoding() {
    RejectedImageException e = assertThrows(RejectedImageException.class,
        () -> rgb.decode(TestImages.hugeHeaderPng(100_000, 100_000)));
    assertEquals(Reason.OVERSIZED, e.reason());
    assertTrue(e.getMessage().contains("10000000000"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
  void truncatedImagesAreRejected(String format) {
    byte[] full = TestImages.encode(TestImages.rgb(64, 64, 9), format);
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> rgb.decode(TestImages.truncate(full, 0.5)));
    assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.CORRUPT, e.reason() + ": " + e.getMessage());
  }

  @Test
  void garbageAfterSignatureIsCorrupt() {
    byte[] bytes = new byte[200];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, bytes, 0, 8);
    for (int i = 8; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> rgb.decode(bytes));
    assertTrue(e.reason() == Reason.CORRUPT || e.reason() == Reason.TRUNCATED, e.reason().toString());
  }

  @Test
  void invalidConfigurationIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(2, 10));
    assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(1, 0));
  }
}

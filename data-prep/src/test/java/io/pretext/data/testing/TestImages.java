package io.pretext.data.testing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Generates the test corpora: valid images of every format, and every kind of broken input. */
public final class TestImages {
  private TestImages() {}

  /** A textured RGB image whose content depends on {@code seed}. */
  public static BufferedImage rgb(int w, int h, long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int a = r.nextInt(256);
    int b = r.nextInt(256);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int red = (a + x * 7) & 0xFF;
        int green = (b + y * 5) & 0xFF;
        int blue = (x * y + a) & 0xFF;
        img.setRGB(x, y, (red << 16) | (green << 8) | blue);
      }
    }
    return img;
  }

  public static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 16-bit grayscale PNG whose samples are {@code v * 257} (so 8-bit value v after rounding). */
  public static byte[] png16(int w, int h, int v) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setSample(x, y, 0, v * 257);
      }
    }
    return encode(img, "png");
  }

  /** A 4-channel (CMYK-style) JPEG, which the JDK's decoder refuses as an unsupported image type. */
  public static byte[] cmykJpeg(int w, int h) {
    try {
      WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          raster.setPixel(x, y, new int[] {x * 4 & 0xFF, y * 4 & 0xFF, 50, 10});
        }
      }
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(raster, null, null), null);
      }
      writer.dispose();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A syntactically valid PNG header declaring {@code w x h} pixels, with no pixel data behind it. */
  public static byte[] hugeHeaderPng(int w, int h) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteBuffer chunk = ByteBuffer.allocate(4 + 4 + 13 + 4);
    chunk.putInt(13).put("IHDR".getBytes());
    chunk.put(ihdr.array());
    CRC32 crc = new CRC32();
    crc.update("IHDR".getBytes());
    crc.update(ihdr.array());
    chunk.putInt((int) crc.getValue());
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    byte[] out = Arrays.copyOf(sig, sig.length + chunk.capacity());
    System.arraycopy(chunk.array(), 0, out, sig.length, chunk.capacity());
    return out;
  }

  public static byte[] truncate(byte[] bytes, double fraction) {
    return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
  }

  /** An IDX3 image file (n images of rows x cols) whose image i has every pixel equal to (i * 37 + seed) mod 256. */
  public static byte[] idxImages(int n, int rows, int cols, int seed, boolean gzip) {
    ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
    b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols);
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < rows * cols; p++) {
        b.put((byte) ((i * 37 + seed + (p % 3)) & 0xFF));
      }
    }
    return gzip ? gzip(b.array()) : b.array();
  }

  public static byte[] idxLabels(int[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(0x00000801).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  public static byte[] gzip(byte[] bytes) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(bytes);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

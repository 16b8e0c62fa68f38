package io.pretext.data.augment;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes encoded images (JPEG, PNG, anything ImageIO reads) into {@link FloatImage} with pixels
 * {@code v / 255} in CHW order.
 *
 * <p>Byte-backed rasters (the usual result of the JDK JPEG and PNG readers) are converted straight
 * from their {@link DataBufferByte} with a 256-entry lookup table; other image types go through
 * {@link BufferedImage#getRGB}. The stream is an in-memory {@link MemoryCacheImageInputStream}, so
 * decoding never touches ImageIO's disk cache. RGB to 1 channel uses the torchvision luma weights.
 */
public final class ImageDecoder {
  private static final float[] LUT = FloatImage.BYTE_TO_FLOAT;

  private ImageDecoder() {}

  /**
   * Decodes {@code encoded} to a {@code channels}-channel image.
   *
   * @param channels 1 or 3
   * @throws IllegalArgumentException if the bytes are not a readable image or channels is invalid
   * @throws UncheckedIOException on a read error
   */
  public static FloatImage decode(byte[] encoded, int channels) {
    if (encoded == null) {
      throw new IllegalArgumentException("encoded must not be null");
    }
    BufferedImage img;
    try {
      // ImageIO.read closes the stream itself.
      img = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode image of " + encoded.length + " bytes", e);
    }
    if (img == null) {
      throw new IllegalArgumentException(
          "encoded (" + encoded.length + " bytes) is not in a format ImageIO can read");
    }
    return fromBufferedImage(img, channels);
  }

  /** Converts a decoded image to a {@code channels}-channel {@link FloatImage}. */
  public static FloatImage fromBufferedImage(BufferedImage img, int channels) {
    FloatImage.checkShape(channels, img.getHeight(), img.getWidth());
    int h = img.getHeight();
    int w = img.getWidth();
    int plane = h * w;
    float[] out = new float[channels * plane];
    Raster raster = img.getRaster();
    int type = img.getType();
    boolean fast = raster.getDataBuffer() instanceof DataBufferByte
        && raster.getSampleModel() instanceof ComponentSampleModel
        && raster.getParent() == null
        && (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY);
    if (fast) {
      ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
      byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
      int pixelStride = sm.getPixelStride();
      int scanStride = sm.getScanlineStride();
      int[] bandOffsets = sm.getBandOffsets();
      int base = ((DataBufferByte) raster.getDataBuffer()).getOffset();
      if (type == BufferedImage.TYPE_BYTE_GRAY) {
        fromGray(data, base + bandOffsets[0], pixelStride, scanStride, h, w, out, channels);
      } else {
        // TYPE_3BYTE_BGR: bands 0,1,2 are R,G,B (the offsets encode the BGR byte order).
        fromRgb(data, base, bandOffsets, pixelStride, scanStride, h, w, out, channels);
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int argb = row[x];
          float r = LUT[(argb >>> 16) & 0xFF];
          float g = LUT[(argb >>> 8) & 0xFF];
          float b = LUT[argb & 0xFF];
          int i = y * w + x;
          if (channels == 3) {
            out[i] = r;
            out[plane + i] = g;
            out[2 * plane + i] = b;
          } else {
            out[i] = Math.min(1f, Luma.R * r + Luma.G * g + Luma.B * b);
          }
        }
      }
    }
    return FloatImage.trusted(channels, h, w, out);
  }

  private static void fromGray(byte[] d, int off, int ps, int ss, int h, int w, float[] out, int channels) {
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      int s = off + y * ss;
      int o = y * w;
      for (int x = 0; x < w; x++, s += ps) {
        out[o + x] = LUT[d[s] & 0xFF];
      }
    }
    if (channels == 3) {
      System.arraycopy(out, 0, out, plane, plane);
      System.arraycopy(out, 0, out, 2 * plane, plane);
    }
  }

  private static void fromRgb(
      byte[] d, int base, int[] bo, int ps, int ss, int h, int w, float[] out, int channels) {
    int plane = h * w;
    int ro = bo[0];
    int go = bo[1];
    int bOff = bo[2];
    for (int y = 0; y < h; y++) {
      int s = base + y * ss;
      int o = y * w;
      for (int x = 0; x < w; x++, s += ps) {
        float r = LUT[d[s + ro] & 0xFF];
        float g = LUT[d[s + go] & 0xFF];
        float b = LUT[d[s + bOff] & 0xFF];
        if (channels == 3) {
          out[o + x] = r;
          out[plane + o + x] = g;
          out[2 * plane + o + x] = b;
        } else {
          out[o + x] = Math.min(1f, Luma.R * r + Luma.G * g + Luma.B * b);
        }
      }
    }
  }
}

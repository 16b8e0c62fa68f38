package io.pretext.data.image;

import io.pretext.data.image.RejectedImageException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF bytes into a {@link DecodedImage} with the requested number of
 * channels, refusing anything that is not a complete, supported image.
 *
 * <p>The pixel count is read from the header and checked against {@code maxPixels} before any
 * pixel buffer is allocated, so a decompression bomb (a small file declaring a huge canvas) is
 * quarantined instead of exhausting the executor's heap. Decoder warnings (a JPEG that ends early
 * decodes to a grey-filled image with only a warning) are treated as failures, never as pixels.
 *
 * <p>Conversion: 16-bit samples are rounded to 8 bits; alpha is dropped (not composited);
 * RGB to gray uses ITU-R BT.601 luma {@code (299 R + 587 G + 114 B) / 1000}, rounded, as PIL's
 * {@code convert("L")}; gray to RGB replicates the channel. Palette images go through their
 * palette. CMYK and other non-RGB colour spaces are {@link Reason#UNSUPPORTED}.
 */
public final class ImageDecoder implements Serializable {
  private static final long serialVersionUID = 1L;

  static {
    ImageIO.setUseCache(false);
  }

  private final int channels;
  private final long maxPixels;

  /**
   * @param channels output channels, 1 or 3
   * @param maxPixels largest accepted width * height, at least 1
   */
  public ImageDecoder(int channels, long maxPixels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
    }
    this.channels = channels;
    this.maxPixels = maxPixels;
  }

  /** Decodes {@code bytes}; never returns null. */
  public DecodedImage decode(byte[] bytes) throws RejectedImageException {
    if (bytes == null || bytes.length == 0) {
      throw new RejectedImageException(Reason.EMPTY, "zero-byte input");
    }
    ImageFormat format = ImageFormat.sniff(bytes);
    if (format == null) {
      String other = ImageFormat.unreadFormat(bytes);
      if (other != null) {
        throw new RejectedImageException(Reason.UNSUPPORTED, "a " + other + " image: Pretext reads PNG, JPEG, BMP and GIF;"
            + " convert it (e.g. to PNG) to include it");
      }
      throw new RejectedImageException(Reason.NOT_AN_IMAGE,
          "no PNG, JPEG, BMP or GIF signature (first bytes " + hexPrefix(bytes) + ")");
    }
    ImageReader reader = readerFor(format);
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      long width;
      long height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw classify(format, e, "header");
      }
      if (width < 1 || height < 1) {
        throw new RejectedImageException(Reason.CORRUPT, format + " header declares " + width + "x" + height);
      }
      if (width * height > maxPixels) {
        throw new RejectedImageException(Reason.OVERSIZED, format + " header declares " + width + "x" + height
            + " = " + width * height + " pixels, more than --max-pixels " + maxPixels);
      }
      BufferedImage image;
      try {
        image = reader.read(0);
      } catch (IOException | RuntimeException e) {
        throw classify(format, e, "pixel data");
      }
      if (!warnings.isEmpty()) {
        String w = String.join("; ", warnings);
        Reason reason = w.toLowerCase(java.util.Locale.ROOT).contains("end") ? Reason.TRUNCATED : Reason.CORRUPT;
        throw new RejectedImageException(reason, format + " decoder warning: " + w);
      }
      return toChannels(image, format);
    } catch (IOException e) {
      throw new RejectedImageException(Reason.CORRUPT, format + ": " + e);
    } finally {
      // An OutOfMemoryError is not caught: the header check above bounds the pixels, so running out of memory means
      // the executor is too small for the configured --max-pixels, which the user must see. Quarantining the image
      // instead would make the dataset depend on heap pressure (the same file accepted on a larger executor).
      reader.dispose();
    }
  }

  private static ImageReader readerFor(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(java.util.Locale.ROOT));
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JRE has no ImageIO reader for " + format);
    }
    return readers.next();
  }

  private static RejectedImageException classify(ImageFormat format, Throwable e, String stage) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return new RejectedImageException(Reason.TRUNCATED, format + " " + stage + " ends early: " + e);
      }
    }
    String message = String.valueOf(e.getMessage());
    if (e instanceof IIOException && message.contains("Unsupported Image Type")) {
      return new RejectedImageException(Reason.UNSUPPORTED,
          format + " colour model not supported (CMYK/YCCK JPEG?): " + message);
    }
    if (message.contains("Unsupported") || message.contains("unsupported")) {
      return new RejectedImageException(Reason.UNSUPPORTED, format + " " + stage + ": " + message);
    }
    return new RejectedImageException(Reason.CORRUPT, format + " " + stage + ": " + e);
  }

  private DecodedImage toChannels(BufferedImage image, ImageFormat format) throws RejectedImageException {
    int w = image.getWidth();
    int h = image.getHeight();
    int plane = w * h;
    DecodedImage fast = fromByteRaster(image);
    if (fast != null) {
      return fast;
    }
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    ColorSpace cs = cm.getColorSpace();
    int[] r;
    int[] g;
    int[] b;
    if (!(cm instanceof IndexColorModel) && cs.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
      int[] gray = scaled(raster.getSamples(0, 0, w, h, 0, (int[]) null), cm.getComponentSize(0));
      if (channels == 1) {
        return new DecodedImage(1, h, w, toBytes(gray, null, null, plane));
      }
      return new DecodedImage(3, h, w, toBytes(gray, gray, gray, plane));
    }
    if (!(cm instanceof IndexColorModel) && cs.isCS_sRGB() && cm.getNumColorComponents() == 3) {
      r = scaled(raster.getSamples(0, 0, w, h, 0, (int[]) null), cm.getComponentSize(0));
      g = scaled(raster.getSamples(0, 0, w, h, 1, (int[]) null), cm.getComponentSize(1));
      b = scaled(raster.getSamples(0, 0, w, h, 2, (int[]) null), cm.getComponentSize(2));
    } else if (cm instanceof IndexColorModel || cs.getType() == ColorSpace.TYPE_RGB) {
      int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
      r = new int[plane];
      g = new int[plane];
      b = new int[plane];
      for (int i = 0; i < plane; i++) {
        r[i] = (argb[i] >>> 16) & 0xFF;
        g[i] = (argb[i] >>> 8) & 0xFF;
        b[i] = argb[i] & 0xFF;
      }
    } else {
      throw new RejectedImageException(Reason.UNSUPPORTED,
          format + " colour space type " + cs.getType() + " with " + cm.getNumComponents() + " components is not supported");
    }
    if (channels == 3) {
      return new DecodedImage(3, h, w, toBytes(r, g, b, plane));
    }
    int[] gray = new int[plane];
    for (int i = 0; i < plane; i++) {
      gray[i] = (299 * r[i] + 587 * g[i] + 114 * b[i] + 500) / 1000;
    }
    return new DecodedImage(1, h, w, toBytes(gray, null, null, plane));
  }

  /**
   * Fast path for the JDK JPEG and PNG readers' usual results (8-bit interleaved BGR or gray):
   * reads the raster's bytes directly instead of through per-band sample arrays. Returns null
   * for any other layout.
   */
  private DecodedImage fromByteRaster(BufferedImage image) {
    int type = image.getType();
    Raster raster = image.getRaster();
    if ((type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_BYTE_GRAY)
        || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || !(raster.getSampleModel() instanceof ComponentSampleModel sm)
        || raster.getParent() != null) {
      return null;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int plane = w * h;
    byte[] data = buffer.getData();
    int base = buffer.getOffset();
    int pixelStride = sm.getPixelStride();
    int scanStride = sm.getScanlineStride();
    int[] offsets = sm.getBandOffsets();
    byte[] out = new byte[channels * plane];
    if (type == BufferedImage.TYPE_BYTE_GRAY) {
      for (int y = 0; y < h; y++) {
        int row = base + offsets[0] + y * scanStride;
        for (int x = 0; x < w; x++) {
          byte v = data[row + x * pixelStride];
          for (int c = 0; c < channels; c++) {
            out[c * plane + y * w + x] = v;
          }
        }
      }
      return new DecodedImage(channels, h, w, out);
    }
    for (int y = 0; y < h; y++) {
      int row = base + y * scanStride;
      for (int x = 0; x < w; x++) {
        int p = row + x * pixelStride;
        int r = data[p + offsets[0]] & 0xFF;
        int g = data[p + offsets[1]] & 0xFF;
        int b = data[p + offsets[2]] & 0xFF;
        int i = y * w + x;
        if (channels == 3) {
          out[i] = (byte) r;
          out[plane + i] = (byte) g;
          out[2 * plane + i] = (byte) b;
        } else {
          out[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
        }
      }
    }
    return new DecodedImage(channels, h, w, out);
  }

  private static int[] scaled(int[] samples, int bits) {
    if (bits == 8) {
      return samples;
    }
    long max = (1L << bits) - 1;
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (int) ((samples[i] * 255L + max / 2) / max);
    }
    return samples;
  }

  private static byte[] toBytes(int[] c0, int[] c1, int[] c2, int plane) {
    int n = c1 == null ? 1 : 3;
    byte[] out = new byte[n * plane];
    for (int i = 0; i < plane; i++) {
      out[i] = (byte) c0[i];
    }
    if (n == 3) {
      for (int i = 0; i < plane; i++) {
        out[plane + i] = (byte) c1[i];
        out[2 * plane + i] = (byte) c2[i];
      }
    }
    return out;
  }

  private static String hexPrefix(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      sb.append(String.format("%02x", bytes[i] & 0xFF));
    }
    return sb.toString();
  }
}

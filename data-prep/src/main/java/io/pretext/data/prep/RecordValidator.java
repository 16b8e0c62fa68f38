package io.pretext.data.prep;

import io.pretext.data.dataset.Checksums;
import io.pretext.data.image.Channels;
import io.pretext.data.image.DecodedImage;
import io.pretext.data.image.ImageDecoder;
import io.pretext.data.image.RejectedImageException;
import io.pretext.data.image.RejectedImageException.Reason;
import io.pretext.data.image.Resize;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Turns a {@link Candidate} into an {@link Outcome} inside an executor. Never throws: every failure,
 * including unexpected runtime exceptions from a decoder, becomes a quarantine entry with a reason,
 * so one bad file cannot take down the rest of the job.
 */
public final class RecordValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ImageDecoder decoder;
  private final int channels;
  private final int resize;
  private final long maxPixels;

  /** @param resize shorter side then centre crop to this size, or 0 to keep the original size */
  public RecordValidator(int channels, int resize, long maxPixels) {
    this.decoder = new ImageDecoder(channels, maxPixels);
    this.channels = channels;
    this.resize = resize;
    this.maxPixels = maxPixels;
  }

  public Outcome validate(Candidate c) {
    if (c.rejectReason != null) {
      return Outcome.quarantined(c.source, c.rejectReason, c.rejectDetail);
    }
    try {
      DecodedImage image;
      if (c.decoded != null) {
        long pixels = (long) c.decoded.height() * c.decoded.width();
        if (pixels > maxPixels) {
          throw new RejectedImageException(Reason.OVERSIZED, c.decoded.height() + "x" + c.decoded.width()
              + " = " + pixels + " pixels, more than --max-pixels " + maxPixels);
        }
        image = Channels.convert(c.decoded, channels);
      } else {
        image = decoder.decode(c.encoded);
      }
      if (resize > 0) {
        image = Resize.shorterSideThenCenterCrop(image, resize);
      }
      return Outcome.accepted(c.source, contentId(image), c.label, image);
    } catch (RejectedImageException e) {
      return Outcome.quarantined(c.source, e.reason().key(), e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      return Outcome.quarantined(c.source, Reason.CORRUPT.key(), "decoder failed: " + e);
    }
  }

  /**
   * The record id: the first 128 bits (32 hex chars) of SHA-256 over channels, height, width and
   * the pixel bytes. Identical pixels give identical ids whatever file they came from.
   */
  public static String contentId(DecodedImage image) {
    MessageDigest md = Checksums.sha256();
    md.update(ByteBuffer.allocate(12).putInt(image.channels()).putInt(image.height()).putInt(image.width()).array());
    md.update(image.pixels());
    return HexFormat.of().formatHex(md.digest(), 0, 16);
  }
}

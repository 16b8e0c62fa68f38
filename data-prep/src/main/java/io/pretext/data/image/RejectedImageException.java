package io.pretext.data.image;

/**
 * Thrown when an input cannot become a training image. Carries a stable machine-readable
 * {@link Reason} (counted in the dataset manifest) and a human-readable detail.
 */
public final class RejectedImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a record was quarantined. The lower-case names appear in manifests and quarantine files. */
  public enum Reason {
    /** Zero bytes. */
    EMPTY,
    /** No known image signature (PNG, JPEG, BMP, GIF). */
    NOT_AN_IMAGE,
    /** The header or pixel data could not be parsed. */
    CORRUPT,
    /** The data ends before the image does. */
    TRUNCATED,
    /** A valid image in a colour model, encoding or format this service does not convert (CMYK JPEG, TIFF, WebP). */
    UNSUPPORTED,
    /** More pixels than {@code --max-pixels} (refused from the header before decoding), or a file larger than
     *  {@code --max-file-bytes} (refused by its listed size, never read). */
    OVERSIZED,
    /** Smaller than the configured minimum side. */
    TOO_SMALL;

    /** The name used in manifests and quarantine records, e.g. {@code not_an_image}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Reason reason;

  public RejectedImageException(Reason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package io.pretext.data.prep;

import io.pretext.data.image.DecodedImage;
import java.io.Serializable;

/**
 * One input record before validation: encoded file bytes, an already-decoded image (IDX), or a
 * rejection found while reading the container (e.g. a truncated IDX file). A plain class rather
 * than a record because Kryo cannot set record fields on Java 17.
 */
public final class Candidate implements Serializable {
  private static final long serialVersionUID = 1L;

  final String source;
  final Integer label;
  final byte[] encoded;
  final DecodedImage decoded;
  final String rejectReason;
  final String rejectDetail;

  private Candidate(String source, Integer label, byte[] encoded, DecodedImage decoded, String rejectReason, String rejectDetail) {
    this.source = source;
    this.label = label;
    this.encoded = encoded;
    this.decoded = decoded;
    this.rejectReason = rejectReason;
    this.rejectDetail = rejectDetail;
  }

  public static Candidate encoded(String source, Integer label, byte[] bytes) {
    return new Candidate(source, label, bytes == null ? new byte[0] : bytes, null, null, null);
  }

  public static Candidate decoded(String source, Integer label, DecodedImage image) {
    return new Candidate(source, label, null, image, null, null);
  }

  public static Candidate rejected(String source, String reason, String detail) {
    return new Candidate(source, null, null, null, reason, detail);
  }

  public String source() {
    return source;
  }
}

package io.pretext.data.prep;

import io.pretext.data.image.DecodedImage;
import java.io.Serializable;

/** The result of validating one {@link Candidate}: an accepted image with its content id, or a quarantine entry. */
public final class Outcome implements Serializable {
  private static final long serialVersionUID = 1L;

  final String source;
  final String id;
  final Integer label;
  final DecodedImage image;
  final String reason;
  final String detail;

  private Outcome(String source, String id, Integer label, DecodedImage image, String reason, String detail) {
    this.source = source;
    this.id = id;
    this.label = label;
    this.image = image;
    this.reason = reason;
    this.detail = detail;
  }

  static Outcome accepted(String source, String id, Integer label, DecodedImage image) {
    return new Outcome(source, id, label, image, null, null);
  }

  static Outcome quarantined(String source, String reason, String detail) {
    return new Outcome(source, null, null, null, reason, detail);
  }

  public boolean isAccepted() {
    return image != null;
  }

  public String source() {
    return source;
  }

  public String id() {
    return id;
  }

  public Integer label() {
    return label;
  }

  public DecodedImage image() {
    return image;
  }

  public String reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }
}

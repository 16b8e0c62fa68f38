package io.pretext.data.text;

import java.io.Serializable;

/**
 * The result of validating one {@link RawDocument}: an accepted document (content id, normalised text, label) or a
 * quarantine entry (reason code and detail). A plain class for Kryo, like {@link RawDocument}.
 */
public final class TextOutcome implements Serializable {
  private static final long serialVersionUID = 1L;

  final String source;
  final String id;
  final String text;
  final String label;
  final boolean labelIsInt;
  final String reason;
  final String detail;

  private TextOutcome(String source, String id, String text, String label, boolean labelIsInt, String reason, String detail) {
    this.source = source;
    this.id = id;
    this.text = text;
    this.label = label;
    this.labelIsInt = labelIsInt;
    this.reason = reason;
    this.detail = detail;
  }

  static TextOutcome accepted(String source, String id, String text, String label, boolean labelIsInt) {
    return new TextOutcome(source, id, text, label, labelIsInt, null, null);
  }

  static TextOutcome quarantined(String source, String reason, String detail) {
    return new TextOutcome(source, null, null, null, false, reason, detail);
  }

  public boolean isAccepted() {
    return text != null;
  }

  public String source() {
    return source;
  }

  public String id() {
    return id;
  }

  /** The normalised document. */
  public String text() {
    return text;
  }

  /** The label as read: a class name, or an integer in decimal ({@link #labelIsInt()}); null when unlabeled. */
  public String label() {
    return label;
  }

  public boolean labelIsInt() {
    return labelIsInt;
  }

  public String reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }
}

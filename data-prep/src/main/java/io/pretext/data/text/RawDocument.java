package io.pretext.data.text;

import java.io.Serializable;

/**
 * One document as read, before validation: its raw bytes (not yet decoded: invalid UTF-8 must be seen on the bytes), or
 * the size alone when it was too large to keep, or a rejection found while reading the file (binary, corrupt). A plain
 * class rather than a record because Kryo cannot set record fields on Java 17.
 */
public final class RawDocument implements Serializable {
  private static final long serialVersionUID = 1L;

  final String source;
  final byte[] bytes;
  final long size;
  final String label;
  final boolean labelIsInt;
  final String rejectReason;
  final String rejectDetail;

  private RawDocument(String source, byte[] bytes, long size, String label, boolean labelIsInt, String rejectReason, String rejectDetail) {
    this.source = source;
    this.bytes = bytes;
    this.size = size;
    this.label = label;
    this.labelIsInt = labelIsInt;
    this.rejectReason = rejectReason;
    this.rejectDetail = rejectDetail;
  }

  /** A document of {@code bytes}. */
  public static RawDocument of(String source, byte[] bytes) {
    return new RawDocument(source, bytes, bytes.length, null, false, null, null);
  }

  /** A document with a label already read (Parquet): a name, or an integer in decimal when {@code labelIsInt}. */
  public static RawDocument labeled(String source, byte[] bytes, String label, boolean labelIsInt) {
    return new RawDocument(source, bytes, bytes == null ? 0 : bytes.length, label, labelIsInt, null, null);
  }

  /** A document of {@code size} bytes, more than the reader keeps. */
  public static RawDocument oversized(String source, long size) {
    return new RawDocument(source, null, size, null, false, null, null);
  }

  public static RawDocument rejected(String source, String reason, String detail) {
    return new RawDocument(source, null, 0, null, false, reason, detail);
  }

  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "RawDocument(" + source + ", " + size + " bytes" + (rejectReason == null ? "" : ", " + rejectReason) + ")";
  }
}

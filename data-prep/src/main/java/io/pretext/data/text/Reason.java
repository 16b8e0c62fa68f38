package io.pretext.data.text;

import java.util.Locale;

/** Why a document was quarantined: the reason codes of {@code quarantine/} and the manifest's counts. */
public enum Reason {
  /** No text: zero bytes, only whitespace, or nothing left after removing control and format characters. */
  EMPTY,
  /** Bytes that are not UTF-8 (Latin-1, UTF-16 without NUL bytes, truncated sequences). */
  INVALID_UTF8,
  /** A NUL character inside a document of a text file (a binary file is caught whole, as {@link #BINARY}). */
  NUL_BYTE,
  /** A whole file that is not text: a NUL byte in its first 8 KiB (git's rule), e.g. an image or UTF-16. */
  BINARY,
  /** A document larger than {@code --max-doc-bytes}. */
  OVERSIZED,
  /** A JSON Lines line that is not one JSON object. */
  MALFORMED_JSON,
  /** A JSON Lines line without the text field (or the label field) as a string, or a null Parquet value. */
  MISSING_FIELD,
  /** A label that is neither a string nor an integer. */
  BAD_LABEL,
  /** A file that could not be read to its end (a damaged gzip or bzip2 stream, an I/O error); what came before is kept. */
  CORRUPT;

  /** The code in {@code quarantine/} and the manifest: {@code invalid_utf8}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}

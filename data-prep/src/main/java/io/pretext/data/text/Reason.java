package io.pretext.data.text;

import java.util.Locale;

/** Why a document was quarantined: the reason codes of {@code quarantine/} and the manifest's counts. */
public enum Reason {
  /**
   * No text: a zero-byte file (in every {@code --doc-split} mode, one entry for the file), a line or whole file of only
   * whitespace, or nothing left after removing control and format characters; in paragraph mode also a file holding
   * no paragraph (only blank lines).
   */
  EMPTY,
  /** Bytes that are not UTF-8 (Latin-1, UTF-16 without NUL bytes, truncated sequences). */
  INVALID_UTF8,
  /**
   * A NUL character inside a document of a text file: the document goes, the rest of the file is read (a binary file is
   * caught whole, as {@link #BINARY}).
   */
  NUL_BYTE,
  /**
   * A whole file that is not text, unread: more than 5% of its first 8 KiB are NUL or other control bytes (not tab,
   * line feed, carriage return, form feed and the few other controls text holds), e.g. an image, a compressed or
   * encrypted file, or UTF-16. A few stray NULs in a text file are {@link #NUL_BYTE} entries instead.
   */
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
  CORRUPT,
  /**
   * A file below {@code --input} whose name, or the name of a folder between it and the input, starts with {@code .}
   * or {@code _}: Hadoop's hidden files ({@code _SUCCESS}, {@code .part-00000.crc}, {@code _temporary/}), also
   * {@code .git/} or {@code .DS_Store}. Listed and counted but never read: any file is a plausible text document, so
   * reading these would add marker files, checksums and half-written task output to the corpus, and would sway the
   * {@code auto} format guess. A hidden file named by {@code --input} itself is read.
   */
  HIDDEN;

  /** The code in {@code quarantine/} and the manifest: {@code invalid_utf8}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}

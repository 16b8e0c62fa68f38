package io.pretext.data.text;

import java.text.Normalizer;

/**
 * The normalisation every document gets before it is hashed, deduplicated and tokenised: control characters (Unicode
 * Cc) other than tab, line feed and carriage return are removed, then the text is put in Unicode normal form NFC (or
 * NFKC on request). The content id is computed on this text, so two documents that differ only in composition
 * ("e" + U+0301 against "é") or stray control characters are duplicates.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  public static String normalize(String text, UnicodeForm form) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
      if (control && b == null) {
        b = new StringBuilder(text.length());
        b.append(text, 0, i);
      } else if (!control && b != null) {
        b.append(c);
      }
    }
    String cleaned = b == null ? text : b.toString();
    return Normalizer.normalize(cleaned, form.form());
  }
}

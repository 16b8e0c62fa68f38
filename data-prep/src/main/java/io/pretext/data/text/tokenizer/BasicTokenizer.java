package io.pretext.data.text.tokenizer;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * BERT's "basic tokenizer": text to words, exactly as HuggingFace's {@code BertNormalizer} followed by
 * {@code BertPreTokenizer} (Devlin et al. 2019, "BERT", and Google's {@code tokenization.py}):
 * <ol>
 *   <li>clean: NUL, U+FFFD, control, format and private-use characters are removed; tab, line feed, carriage return
 *       and every Unicode space become one space;
 *   <li>CJK ideographs get a space on each side;
 *   <li>uncased only: accents are stripped (NFD, then nonspacing marks dropped) and the text is lower-cased;
 *   <li>split on spaces; every punctuation character (ASCII punctuation, Unicode P*) is a word of its own.
 * </ol>
 * The cased setting does steps 1, 2 and 4 ({@code lowercase=false, strip_accents=false}), the uncased one all four
 * ({@code bert-base-uncased}: {@code lowercase=true}, accents stripped).
 *
 * <p>The character classes come from {@link BertUnicode} (HuggingFace's own tables). Stateless and thread-safe.
 */
public final class BasicTokenizer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean lowercase;

  /** @param lowercase true for the uncased tokenizer (lower-case and strip accents), false for the cased one */
  public BasicTokenizer(boolean lowercase) {
    this.lowercase = lowercase;
  }

  public boolean lowercase() {
    return lowercase;
  }

  /** Steps 1-3: the text BertNormalizer gives. */
  public String normalize(String text) {
    StringBuilder b = new StringBuilder(text.length() + 8);
    boolean ascii = true;
    boolean keptWhole = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      switch (BertUnicode.classOf(cp)) {
        case BertUnicode.REMOVED -> { }
        case BertUnicode.SPACE -> b.append(' ');
        case BertUnicode.CJK -> {
          b.append(' ').appendCodePoint(cp).append(' ');
          ascii = false;
        }
        default -> {
          b.appendCodePoint(cp);
          ascii &= cp < 0x80;
          keptWhole |= BertUnicode.keptWhole(cp);
        }
      }
    }
    if (!lowercase) {
      return b.toString();
    }
    if (ascii) {
      // NFD leaves ASCII alone and ASCII has no nonspacing marks: only lower-case.
      for (int i = 0; i < b.length(); i++) {
        char c = b.charAt(i);
        if (c >= 'A' && c <= 'Z') {
          b.setCharAt(i, (char) (c + ('a' - 'A')));
        }
      }
      return b.toString();
    }
    String decomposed = keptWhole ? decomposeKeeping(b) : Normalizer.normalize(b, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      if (BertUnicode.classOf(cp) != BertUnicode.MARK) {
        BertUnicode.appendLower(out, cp);
      }
    }
    return out.toString();
  }

  /** NFD of the text between the code points HuggingFace leaves whole (starters, so reordering never crosses them). */
  private static String decomposeKeeping(CharSequence s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    int from = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = Character.codePointAt(s, i);
      int next = i + Character.charCount(cp);
      if (BertUnicode.keptWhole(cp)) {
        out.append(Normalizer.normalize(s.subSequence(from, i), Normalizer.Form.NFD)).appendCodePoint(cp);
        from = next;
      }
      i = next;
    }
    return out.append(Normalizer.normalize(s.subSequence(from, s.length()), Normalizer.Form.NFD)).toString();
  }

  /**
   * Whether {@code text} has at least one word, without normalising it: a code point that cleaning keeps and that is
   * not whitespace (nor, uncased, a nonspacing mark, which accent stripping drops).
   */
  public boolean hasWords(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      byte cls = BertUnicode.classOf(cp);
      if (cls != BertUnicode.REMOVED && cls != BertUnicode.SPACE && !(lowercase && cls == BertUnicode.MARK)) {
        return true;
      }
    }
    return false;
  }

  /** The words of {@code text}, in order. */
  public List<String> words(String text) {
    List<String> words = new ArrayList<>();
    forEachWord(text, words::add);
    return words;
  }

  /** Calls {@code sink} with each word of {@code text}, in order. */
  public void forEachWord(String text, Consumer<String> sink) {
    String s = normalize(text);
    int start = -1;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (cp == ' ') {
        if (start >= 0) {
          sink.accept(s.substring(start, i));
          start = -1;
        }
      } else if (BertUnicode.classOf(cp) == BertUnicode.PUNCT) {
        if (start >= 0) {
          sink.accept(s.substring(start, i));
          start = -1;
        }
        sink.accept(s.substring(i, next));
      } else if (start < 0) {
        start = i;
      }
      i = next;
    }
    if (start >= 0) {
      sink.accept(s.substring(start));
    }
  }
}

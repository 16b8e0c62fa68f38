package io.pretext.data.text.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The character classes of HuggingFace's {@code BertNormalizer} and {@code BertPreTokenizer}, and the lower-case mapping
 * of its {@code lowercase} step, read from {@code bert-unicode.txt}, a table that {@code bench/reference/bert_golden.py}
 * extracts from HuggingFace {@code tokenizers} itself.
 *
 * <p>Why a table and not {@link Character}: HuggingFace classifies characters with the {@code unicode_categories}
 * crate, whose Unicode data is older than any current JVM's. It keeps unassigned code points, and does not know a few
 * dozen format characters, punctuation marks and nonspacing marks added since; its lower-casing is Rust's, newer than
 * Java 17's. With the table the token ids do not depend on the JVM's Unicode version. What still comes from the JVM is
 * canonical decomposition (NFD), except for the code points the table lists as decomposed only by newer Unicode data
 * than HuggingFace's (U+11938); the tokenizer tests compare every code point with HuggingFace.
 */
final class BertUnicode {
  /** Removed by {@code clean_text}: NUL, U+FFFD, control, format and private-use characters. */
  static final byte REMOVED = 0;
  /** Whitespace: becomes one space. */
  static final byte SPACE = 1;
  /** CJK ideograph: gets a space on each side, so it is a word of its own. */
  static final byte CJK = 2;
  /** Punctuation (ASCII punctuation and Unicode P*): a word of its own. */
  static final byte PUNCT = 3;
  /** Nonspacing mark (Mn): dropped when accents are stripped. */
  static final byte MARK = 4;
  /** Everything else. */
  static final byte OTHER = 5;

  private static final String RESOURCE = "bert-unicode.txt";
  private static final byte[] BMP = new byte[0x10000];
  private static final int[] ASTRAL_STARTS;
  private static final byte[] ASTRAL_CLASSES;
  /**
   * Lower case of each BMP code point whose lower case is one BMP code point other than itself; 0 when it is itself;
   * {@link #SEE_OTHER} when it is longer (only U+0130).
   */
  private static final char[] BMP_LOWER = new char[0x10000];
  /** U+FFFF, a noncharacter: never a lower-case mapping. */
  private static final char SEE_OTHER = '\uFFFF';
  /** Every other lower-case mapping (astral, or more than one code point). */
  private static final Map<Integer, String> OTHER_LOWER = new HashMap<>();
  /** Code points that newer Unicode data decomposes but HuggingFace's NFD leaves whole. */
  private static final java.util.Set<Integer> KEPT_WHOLE = new java.util.HashSet<>();

  static {
    List<int[]> astral = new ArrayList<>();
    try (InputStream in = BertUnicode.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path (it ships in pretext-data-prep's jar)");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split(" ");
        if (f[0].equals("N")) {
          KEPT_WHOLE.add(Integer.parseInt(f[1], 16));
          continue;
        }
        if (f[0].equals("L")) {
          int cp = Integer.parseInt(f[1], 16);
          StringBuilder lower = new StringBuilder();
          for (int i = 2; i < f.length; i++) {
            lower.appendCodePoint(Integer.parseInt(f[i], 16));
          }
          if (cp < 0x10000 && lower.length() == 1) {
            BMP_LOWER[cp] = lower.charAt(0);
          } else {
            OTHER_LOWER.put(cp, lower.toString());
            if (cp < 0x10000) {
              BMP_LOWER[cp] = SEE_OTHER;
            }
          }
          continue;
        }
        int first = Integer.parseInt(f[0], 16);
        int last = Integer.parseInt(f[1], 16);
        byte cls = switch (f[2]) {
          case "R" -> REMOVED;
          case "S" -> SPACE;
          case "C" -> CJK;
          case "P" -> PUNCT;
          case "M" -> MARK;
          case "K" -> OTHER;
          default -> throw new IllegalStateException(RESOURCE + ": unknown class in line '" + line + "'");
        };
        if (first < 0x10000) {
          Arrays.fill(BMP, first, Math.min(last, 0xFFFF) + 1, cls);
        }
        if (last >= 0x10000) {
          astral.add(new int[] {Math.max(first, 0x10000), cls});
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    ASTRAL_STARTS = astral.stream().mapToInt(a -> a[0]).toArray();
    ASTRAL_CLASSES = new byte[astral.size()];
    for (int i = 0; i < astral.size(); i++) {
      ASTRAL_CLASSES[i] = (byte) astral.get(i)[1];
    }
  }

  private BertUnicode() {}

  static byte classOf(int cp) {
    if (cp < 0x10000) {
      return BMP[cp];
    }
    int i = Arrays.binarySearch(ASTRAL_STARTS, cp);
    return ASTRAL_CLASSES[i >= 0 ? i : -i - 2];
  }

  /** Whether HuggingFace's NFD leaves {@code cp} whole although the JVM's may decompose it. */
  static boolean keptWhole(int cp) {
    return cp >= 0x800 && KEPT_WHOLE.contains(cp);
  }

  /** Appends the lower case of {@code cp} as Rust's {@code char::to_lowercase} gives it. */
  static void appendLower(StringBuilder out, int cp) {
    if (cp < 0x10000) {
      char lower = BMP_LOWER[cp];
      if (lower == 0) {
        out.append((char) cp);
      } else if (lower != SEE_OTHER) {
        out.append(lower);
      } else {
        out.append(OTHER_LOWER.get(cp));
      }
      return;
    }
    String other = OTHER_LOWER.get(cp);
    if (other != null) {
      out.append(other);
    } else {
      out.appendCodePoint(cp);
    }
  }
}

package io.pretext.data.text.tokenizer;

import io.pretext.data.dataset.Checksums;
import io.pretext.model.batch.TokenBatch;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A WordPiece vocabulary: BERT's {@code vocab.txt}, one token per line, the line number (from 0) being the token id.
 * The first five tokens are the special tokens {@code [PAD] [UNK] [CLS] [SEP] [MASK]} (ids 0-4, the constants of
 * {@link TokenBatch}); a token starting with {@value #CONTINUATION_PREFIX} continues a word ("##ing").
 *
 * <p>Read as HuggingFace's {@code WordPiece.read_file} reads it (lines split at line feeds, trailing Unicode
 * whitespace removed), and refused, with the line number and the fix, when it is not valid UTF-8, has an empty line, a duplicate
 * token, other special tokens first, or a size outside {@value #MIN_SIZE}..{@value #MAX_SIZE}. Immutable.
 */
public final class Vocabulary implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The special tokens, in id order. */
  public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
  /** Marks a piece that continues a word. */
  public static final String CONTINUATION_PREFIX = "##";
  /** The file name inside a dataset directory. */
  public static final String FILE_NAME = "vocab.txt";
  /** The special tokens and at least one more. */
  public static final int MIN_SIZE = TokenBatch.SPECIAL_TOKENS + 1;
  public static final int MAX_SIZE = 1_000_000;

  private final String[] tokens;
  private final Map<String, Integer> ids;
  /** Continuation pieces by their text without the prefix, so a lookup need not build "##" + piece. */
  private final Map<String, Integer> continuations;
  private final BitSet continuation;

  private Vocabulary(String[] tokens) {
    this.tokens = tokens;
    this.ids = new HashMap<>(tokens.length * 2);
    this.continuations = new HashMap<>();
    this.continuation = new BitSet(tokens.length);
    for (int i = 0; i < tokens.length; i++) {
      ids.put(tokens[i], i);
      if (tokens[i].startsWith(CONTINUATION_PREFIX) && tokens[i].length() > CONTINUATION_PREFIX.length()) {
        continuations.put(tokens[i].substring(CONTINUATION_PREFIX.length()), i);
        continuation.set(i);
      }
    }
  }

  /**
   * A vocabulary of {@code tokens} in id order.
   *
   * @throws IllegalArgumentException if the specials are not first, a token is empty, has trailing whitespace or a line
   *     break, or repeats, or the size is out of range
   */
  public static Vocabulary of(List<String> tokens) {
    check(tokens, "vocabulary");
    return new Vocabulary(tokens.toArray(String[]::new));
  }

  /**
   * Parses a {@code vocab.txt}.
   *
   * @param name what to call the file in messages (its URI)
   * @throws IllegalArgumentException naming the file, the line and the problem
   */
  public static Vocabulary parse(byte[] content, String name) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(name + " is not valid UTF-8 (" + e.getMessage() + "); a vocab.txt is UTF-8 text, one token per line");
    }
    List<String> tokens = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      tokens.add(trimEnd(text.substring(start, end)));
      start = end + 1;
    }
    check(tokens, name);
    return new Vocabulary(tokens.toArray(String[]::new));
  }

  private static void check(List<String> tokens, String name) {
    if (tokens.size() < MIN_SIZE || tokens.size() > MAX_SIZE) {
      throw new IllegalArgumentException(name + " has " + tokens.size() + " tokens; allowed: " + MIN_SIZE + ".." + MAX_SIZE
          + " (the five special tokens " + SPECIALS + " first, then the pieces)");
    }
    for (int i = 0; i < SPECIALS.size(); i++) {
      if (!SPECIALS.get(i).equals(tokens.get(i))) {
        throw new IllegalArgumentException(name + " line " + (i + 1) + " is '" + tokens.get(i) + "' but must be " + SPECIALS.get(i)
            + ": a Pretext vocabulary starts with " + String.join(" ", SPECIALS) + " (ids 0-4), in that order");
      }
    }
    Map<String, Integer> seen = new HashMap<>(tokens.size() * 2);
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t.isEmpty()) {
        throw new IllegalArgumentException(name + " line " + (i + 1) + " is empty; every line must hold one token");
      }
      if (!t.equals(trimEnd(t)) || t.indexOf('\n') >= 0) {
        throw new IllegalArgumentException(name + " token " + i + " '" + t + "' ends with whitespace or holds a line break");
      }
      Integer before = seen.put(t, i);
      if (before != null) {
        throw new IllegalArgumentException(name + " line " + (i + 1) + " repeats the token '" + t + "' of line " + (before + 1)
            + "; every token must appear once");
      }
    }
  }

  /** Rust's {@code str::trim_end}, which HuggingFace applies to each line: trailing Unicode White_Space removed. */
  static String trimEnd(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      boolean whiteSpace = (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
          || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
      if (!whiteSpace) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  public int size() {
    return tokens.length;
  }

  /** The token with id {@code id}. */
  public String token(int id) {
    return tokens[id];
  }

  /** The id of {@code token}, or -1. */
  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? -1 : id;
  }

  /** The id of the continuation piece {@code "##" + piece}, or -1. */
  int continuationId(String piece) {
    Integer id = continuations.get(piece);
    return id == null ? -1 : id;
  }

  /** Whether token {@code id} continues a word (starts with {@value #CONTINUATION_PREFIX}). */
  public boolean isContinuation(int id) {
    return continuation.get(id);
  }

  /** A copy of the continuation flags, indexed by id (what masking needs to find whole words). */
  public BitSet continuationFlags() {
    return (BitSet) continuation.clone();
  }

  /** The tokens in id order (a copy). */
  public List<String> tokens() {
    return List.of(tokens);
  }

  /** The {@code vocab.txt} bytes: every token followed by a line feed, UTF-8. */
  public byte[] toBytes() {
    StringBuilder b = new StringBuilder(tokens.length * 8);
    for (String t : tokens) {
      b.append(t).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256 of {@link #toBytes()}, hex. */
  public String sha256() {
    return Checksums.sha256Hex(toBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && java.util.Arrays.equals(v.tokens, tokens);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(tokens);
  }

  @Override
  public String toString() {
    return "Vocabulary(" + tokens.length + " tokens)";
  }
}

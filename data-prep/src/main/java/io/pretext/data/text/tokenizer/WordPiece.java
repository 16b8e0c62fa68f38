package io.pretext.data.text.tokenizer;

import io.pretext.model.batch.TokenBatch;
import java.io.Serializable;

/**
 * WordPiece tokenisation of one word (Schuster and Nakajima 2012; Wu et al. 2016, "Google's Neural Machine Translation
 * System", as BERT uses it): greedy longest-match-first. From the start of the word, the longest prefix in the
 * vocabulary is taken, then the longest continuation piece ({@code ##...}) of the rest, and so on. A word that cannot be
 * covered this way, or that is longer than {@value #MAX_INPUT_CHARS_PER_WORD} code points, becomes one {@code [UNK]}.
 * This is HuggingFace's {@code WordPiece.tokenize} with its defaults. Thread-safe.
 */
public final class WordPiece implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Longer words (in code points) become {@code [UNK]}, as in BERT and HuggingFace. */
  public static final int MAX_INPUT_CHARS_PER_WORD = 100;

  private final Vocabulary vocab;

  public WordPiece(Vocabulary vocab) {
    this.vocab = vocab;
  }

  public Vocabulary vocabulary() {
    return vocab;
  }

  /** Appends the ids of {@code word}'s pieces to {@code out}. */
  public void tokenize(String word, IntList out) {
    int length = word.length();
    if (length > MAX_INPUT_CHARS_PER_WORD && word.codePointCount(0, length) > MAX_INPUT_CHARS_PER_WORD) {
      out.add(TokenBatch.UNK_ID);
      return;
    }
    int mark = out.size();
    int start = 0;
    while (start < length) {
      int end = length;
      int id = -1;
      while (start < end) {
        String piece = word.substring(start, end);
        id = start == 0 ? vocab.id(piece) : vocab.continuationId(piece);
        if (id >= 0) {
          break;
        }
        end -= Character.charCount(word.codePointBefore(end));
      }
      if (id < 0) {
        // No piece fits: the whole word is unknown, including the pieces already found.
        out.truncate(mark);
        out.add(TokenBatch.UNK_ID);
        return;
      }
      out.add(id);
      start = end;
    }
  }
}

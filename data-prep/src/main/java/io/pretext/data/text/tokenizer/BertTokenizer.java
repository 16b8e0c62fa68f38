package io.pretext.data.text.tokenizer;

import java.io.Serializable;

/**
 * BERT's tokenizer: {@link BasicTokenizer} (normalise, split into words and punctuation) then {@link WordPiece} on
 * each word. Gives exactly the ids of HuggingFace's {@code BertWordPieceTokenizer} built from the same {@code vocab.txt}
 * with {@code lowercase} set the same way ({@code bert-base-uncased}-style when true, cased when false), with one
 * deliberate difference: text that spells a special token ("[MASK]") is ordinary text here (three pieces, like
 * HuggingFace's {@code split_special_tokens=True}), so a corpus cannot inject special tokens. The tests compare with
 * HuggingFace on golden cases and on every code point.
 *
 * <p>{@link #encode} returns the text's pieces only; sequences get {@code [CLS]} and {@code [SEP]} where they are built.
 * Thread-safe.
 */
public final class BertTokenizer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final BasicTokenizer basic;
  private final WordPiece wordPiece;

  public BertTokenizer(Vocabulary vocab, boolean lowercase) {
    this.basic = new BasicTokenizer(lowercase);
    this.wordPiece = new WordPiece(vocab);
  }

  public Vocabulary vocabulary() {
    return wordPiece.vocabulary();
  }

  public boolean lowercase() {
    return basic.lowercase();
  }

  /** The ids of {@code text}'s pieces, without special tokens. */
  public int[] encode(String text) {
    IntList out = new IntList(text.length() / 4 + 4);
    encode(text, out);
    return out.toArray();
  }

  /** Appends the ids of {@code text}'s pieces to {@code out}. */
  public void encode(String text, IntList out) {
    basic.forEachWord(text, word -> wordPiece.tokenize(word, out));
  }
}

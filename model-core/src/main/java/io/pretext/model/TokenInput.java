package io.pretext.model;

import io.pretext.model.config.OptionCheck;

/**
 * Shape of one text example: a sequence of at most {@code maxLength} token ids (special tokens included) from a
 * vocabulary of {@code vocabSize} entries. A minibatch is {@code [N, T]} ids with {@code T <= maxLength}, plus a
 * {@code [N, T]} padding mask.
 *
 * @param vocabSize entries in the dataset's {@code vocab.txt}, the five special tokens included; at least 6
 * @param maxLength longest sequence the dataset holds ({@code --seq-len} of {@code prepare-text}); at least 2
 */
public record TokenInput(int vocabSize, int maxLength) implements ModelInput {

  public TokenInput {
    OptionCheck.require(vocabSize >= 6, "TokenInput.vocabSize", vocabSize, "an integer >= 6 (5 special tokens and a word)");
    OptionCheck.require(maxLength >= 2, "TokenInput.maxLength", maxLength, "an integer >= 2 ([CLS] and [SEP])");
  }

  @Override
  public DatasetKind kind() {
    return DatasetKind.TEXT;
  }
}

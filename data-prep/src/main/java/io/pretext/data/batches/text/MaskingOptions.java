package io.pretext.data.batches.text;

import io.pretext.data.batches.RecipeOptions;
import io.pretext.data.text.masking.MaskingConfig;
import io.pretext.model.method.MaskedTokenMethod;
import io.pretext.model.method.SslMethod;
import picocli.CommandLine.Option;

/** The masking options of text methods ({@link MaskingConfig}: BERT's recipe by default, dynamic as in RoBERTa). */
public final class MaskingOptions extends RecipeOptions {
  @Option(names = "--mask-prob", defaultValue = "" + MaskingConfig.DEFAULT_MASK_PROB,
      description = "Fraction of the non-special tokens chosen as targets, anew every epoch (default: ${DEFAULT-VALUE}).")
  double maskProb;

  @Option(names = "--mask-token-rate", defaultValue = "" + MaskingConfig.DEFAULT_MASK_TOKEN_RATE,
      description = "Chosen tokens shown as [MASK] (default: ${DEFAULT-VALUE}).")
  double maskTokenRate;

  @Option(names = "--random-token-rate", defaultValue = "" + MaskingConfig.DEFAULT_RANDOM_TOKEN_RATE,
      description = "Chosen tokens shown as a random token (default: ${DEFAULT-VALUE}).")
  double randomTokenRate;

  @Option(names = "--keep-rate", defaultValue = "" + MaskingConfig.DEFAULT_KEEP_RATE,
      description = "Chosen tokens shown unchanged (default: ${DEFAULT-VALUE}); the three rates sum to 1.")
  double keepRate;

  @Option(names = "--whole-word", description = "Choose whole words: a piece and the ## pieces that follow it.")
  boolean wholeWord;

  @Override
  public MaskingConfig toRecipe(SslMethod method) {
    if (!(method instanceof MaskedTokenMethod)) {
      throw new IllegalArgumentException("masking options apply to masked-token methods; " + method.name() + " is not one");
    }
    return new MaskingConfig(maskProb, maskTokenRate, randomTokenRate, keepRate, wholeWord);
  }
}

package io.pretext.model.method.maskedlm;

import io.pretext.model.method.MethodOptions;
import picocli.CommandLine.Option;

/**
 * The options of {@code --method mlm}. The masking rates (which tokens are predicted and how they are replaced) are
 * options of the data pipeline's masking recipe, not of the method.
 */
public final class MlmOptions extends MethodOptions {

  @Option(names = "--dropout", defaultValue = "" + MlmConfig.DEFAULT_DROPOUT,
      description = "Dropout after the embeddings and after each attention and feed-forward output (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(names = "--attention-dropout", defaultValue = "" + MlmConfig.DEFAULT_ATTENTION_DROPOUT,
      description = "Dropout on the attention weights (default: ${DEFAULT-VALUE}).")
  double attentionDropout;

  @Override
  public MaskedLm toMethod() {
    return new MaskedLm(new MlmConfig(dropout, attentionDropout));
  }
}

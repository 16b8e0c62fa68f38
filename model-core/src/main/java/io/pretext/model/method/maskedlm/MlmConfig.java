package io.pretext.model.method.maskedlm;

import io.pretext.model.config.OptionCheck;

/**
 * Masked-LM configuration: the dropouts BERT trains with (Devlin et al. 2019; {@code hidden_dropout_prob} and
 * {@code attention_probs_dropout_prob}, both 0.1). What is masked, and how, is the data pipeline's masking recipe,
 * not this method's.
 *
 * @param dropout          after the embeddings, each attention output and each feed-forward output, in [0, 1)
 *                         (default {@value #DEFAULT_DROPOUT})
 * @param attentionDropout on the attention weights, in [0, 1) (default {@value #DEFAULT_ATTENTION_DROPOUT})
 */
public record MlmConfig(double dropout, double attentionDropout) implements java.io.Serializable {

  /** BERT's {@code hidden_dropout_prob}. */
  public static final double DEFAULT_DROPOUT = 0.1;
  /** BERT's {@code attention_probs_dropout_prob}. */
  public static final double DEFAULT_ATTENTION_DROPOUT = 0.1;

  public MlmConfig {
    OptionCheck.require(dropout >= 0 && dropout < 1, "--dropout", dropout, "a probability in [0, 1); BERT uses 0.1");
    OptionCheck.require(attentionDropout >= 0 && attentionDropout < 1, "--attention-dropout", attentionDropout,
        "a probability in [0, 1); BERT uses 0.1");
  }

  /** BERT's dropouts, 0.1 and 0.1. */
  public static MlmConfig defaults() {
    return new MlmConfig(DEFAULT_DROPOUT, DEFAULT_ATTENTION_DROPOUT);
  }

  /** No dropout (gradient checks, deterministic tests). */
  public static MlmConfig noDropout() {
    return new MlmConfig(0, 0);
  }
}

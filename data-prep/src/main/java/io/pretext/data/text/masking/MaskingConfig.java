package io.pretext.data.text.masking;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.data.batches.BatchRecipe;

/**
 * The masking recipe of masked-language-model pretraining (Devlin et al. 2019, "BERT", section 3.1): which tokens become
 * prediction targets and what the model sees there. Immutable and validated where declared.
 *
 * <p>A fraction {@code maskProb} of the maskable tokens (every token but the special ones: {@code [PAD] [UNK] [CLS]
 * [SEP] [MASK]}) is chosen; a chosen token is replaced by {@code [MASK]} with probability {@code maskTokenRate}, by a
 * random non-special token with {@code randomTokenRate}, and left as it is with {@code keepRate}. BERT's recipe, the
 * default: 0.15, 0.8, 0.1, 0.1. With {@code wholeWord} the choice is made per word (a piece and the {@code ##} pieces
 * that follow it) and covers all its pieces (BERT's whole-word masking release, 2019); the replacement is still drawn
 * per token.
 *
 * @param maskProb fraction of maskable tokens chosen, (0, 1] ({@code --mask-prob}, default 0.15)
 * @param maskTokenRate chosen tokens shown as {@code [MASK]}, [0, 1] ({@code --mask-token-rate}, default 0.8)
 * @param randomTokenRate chosen tokens shown as a random token, [0, 1] ({@code --random-token-rate}, default 0.1)
 * @param keepRate chosen tokens shown unchanged, [0, 1] ({@code --keep-rate}, default 0.1); the three rates sum to 1
 * @param wholeWord choose whole words ({@code --whole-word}, default off)
 */
public record MaskingConfig(double maskProb, double maskTokenRate, double randomTokenRate, double keepRate, boolean wholeWord)
    implements BatchRecipe {

  public static final double DEFAULT_MASK_PROB = 0.15;
  public static final double DEFAULT_MASK_TOKEN_RATE = 0.8;
  public static final double DEFAULT_RANDOM_TOKEN_RATE = 0.1;
  public static final double DEFAULT_KEEP_RATE = 0.1;
  /** How far the three rates may sum from 1 (decimal input such as 0.8 + 0.1 + 0.1 is not exactly 1 in binary). */
  static final double SUM_TOLERANCE = 1e-9;

  public MaskingConfig {
    require(maskProb > 0 && maskProb <= 1, "--mask-prob", maskProb, "a fraction in (0, 1]; BERT uses 0.15");
    require(maskTokenRate >= 0 && maskTokenRate <= 1, "--mask-token-rate", maskTokenRate, "a fraction in [0, 1]; BERT uses 0.8");
    require(randomTokenRate >= 0 && randomTokenRate <= 1, "--random-token-rate", randomTokenRate, "a fraction in [0, 1]; BERT uses 0.1");
    require(keepRate >= 0 && keepRate <= 1, "--keep-rate", keepRate, "a fraction in [0, 1]; BERT uses 0.1");
    double sum = maskTokenRate + randomTokenRate + keepRate;
    require(Math.abs(sum - 1) <= SUM_TOLERANCE, "--mask-token-rate + --random-token-rate + --keep-rate", sum,
        "rates that sum to 1, e.g. 0.8 + 0.1 + 0.1");
  }

  /** BERT's recipe: 15% chosen; of those 80% [MASK], 10% random, 10% unchanged; per token. */
  public static MaskingConfig bert() {
    return new MaskingConfig(DEFAULT_MASK_PROB, DEFAULT_MASK_TOKEN_RATE, DEFAULT_RANDOM_TOKEN_RATE, DEFAULT_KEEP_RATE, false);
  }
}

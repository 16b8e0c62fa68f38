package io.pretext.jobs.fillmask;

import static io.pretext.model.config.OptionCheck.require;

import java.util.List;

/**
 * A validated {@code fill-mask} request.
 *
 * @param model run directory (newest complete checkpoint) or checkpoint directory of a masked-LM run
 * @param topK tokens reported per {@code [MASK]}, 1..{@value #MAX_TOP_K} (default {@value #DEFAULT_TOP_K}; capped at the
 *     vocabulary size)
 * @param texts one or more texts, each with at least one literal {@value FillMask#MASK}
 */
public record FillMaskConfig(String model, int topK, List<String> texts) {
  public static final int DEFAULT_TOP_K = 5;
  public static final int MAX_TOP_K = 1000;

  public FillMaskConfig {
    require(model != null && !model.isBlank(), "--model", model, "a run or checkpoint directory of a masked-LM run (pretrain --method mlm)");
    require(topK >= 1 && topK <= MAX_TOP_K, "--top-k", topK, "an integer 1.." + MAX_TOP_K);
    require(texts != null && !texts.isEmpty(), "TEXT", texts, "one or more texts, each with " + FillMask.MASK);
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      require(text != null && text.contains(FillMask.MASK), "TEXT " + (i + 1), text,
          "a text with at least one " + FillMask.MASK + " where a token is to be predicted, e.g. \"the cat sat on the "
              + FillMask.MASK + "\"");
    }
    texts = List.copyOf(texts);
  }
}

package io.pretext.model.method.finetune;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;

/**
 * Fine-tuning's settings, each validated here with the option that sets it ({@link FineTuneOptions}).
 *
 * @param classes the labels' classes, the head's width, 2..100000 ({@code pretext finetune} sets it from the dataset)
 * @param freezeBlocks the encoder's first blocks kept fixed, counted as the encoder defines them (a convolution with its
 *     batch norm is one block; {@link EncoderBlocks}), &gt;= 0
 * @param frozenEncoder the whole encoder kept fixed: only the head trains (a linear probe trained like a fine-tuning)
 * @param encoderLrScale the encoder's learning rate as a fraction of the head's ({@code --lr}), in (0, 1]
 * @param headFirst the fraction of the run's iterations in which the classifier trains alone before the encoder
 *     starts, on its own warm-up and cosine over the rest (LP-FT, Kumar et al. 2022), in [0, 1)
 */
public record FineTuneConfig(int classes, int freezeBlocks, boolean frozenEncoder, double encoderLrScale, double headFirst)
    implements Serializable {
  /**
   * The pretrained layers train at the head's learning rate: on 1% of Fashion-MNIST's labels a tenth of it (ULMFiT's
   * discriminative rates) lost 2.3 points from SimCLR and 4.1 from scratch (docs/finetune.md gives the pilot).
   */
  public static final double DEFAULT_ENCODER_LR_SCALE = 1.0;

  public FineTuneConfig {
    require(classes >= 2 && classes <= 100_000, "--classes", classes, "an integer 2..100000 (the labels' classes)");
    require(freezeBlocks >= 0 && freezeBlocks <= 10_000, "--freeze-layers", freezeBlocks, "an integer 0..10000 (encoder blocks)");
    require(encoderLrScale > 0 && encoderLrScale <= 1, "--encoder-lr-scale", encoderLrScale, "a number in (0, 1]");
    require(headFirst >= 0 && headFirst < 1, "--head-first", headFirst, "a fraction in [0, 1) of the run");
    require(!(frozenEncoder && freezeBlocks > 0), "--freeze-layers", freezeBlocks,
        "0 with --frozen-encoder, which freezes every block already");
  }

  /** The classifier trains alone for this fraction of the run first (docs/finetune.md gives the pilot that chose it). */
  public static final double DEFAULT_HEAD_FIRST = 0.1;

  /** The defaults: every layer trains, the encoder at its scale after the head's first phase. */
  public static FineTuneConfig of(int classes) {
    return new FineTuneConfig(classes, 0, false, DEFAULT_ENCODER_LR_SCALE, DEFAULT_HEAD_FIRST);
  }
}

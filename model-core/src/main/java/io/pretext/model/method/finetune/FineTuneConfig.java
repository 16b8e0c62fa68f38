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
 */
public record FineTuneConfig(int classes, int freezeBlocks, boolean frozenEncoder, double encoderLrScale) implements Serializable {
  /**
   * The pretrained layers train at a tenth of the head's learning rate (docs/finetune.md gives the pilot that chose it).
   */
  public static final double DEFAULT_ENCODER_LR_SCALE = 0.1;

  public FineTuneConfig {
    require(classes >= 2 && classes <= 100_000, "--classes", classes, "an integer 2..100000 (the labels' classes)");
    require(freezeBlocks >= 0 && freezeBlocks <= 10_000, "--freeze-layers", freezeBlocks, "an integer 0..10000 (encoder blocks)");
    require(encoderLrScale > 0 && encoderLrScale <= 1, "--encoder-lr-scale", encoderLrScale, "a number in (0, 1]");
    require(!(frozenEncoder && freezeBlocks > 0), "--freeze-layers", freezeBlocks,
        "0 with --frozen-encoder, which freezes every block already");
  }

  /** Every layer trains, the encoder at {@link #DEFAULT_ENCODER_LR_SCALE} of the head's learning rate. */
  public static FineTuneConfig of(int classes) {
    return new FineTuneConfig(classes, 0, false, DEFAULT_ENCODER_LR_SCALE);
  }
}

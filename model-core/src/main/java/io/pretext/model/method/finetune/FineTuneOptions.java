package io.pretext.model.method.finetune;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.SslMethod;
import picocli.CommandLine.Option;

/**
 * The options of {@code pretext finetune} that shape the network and its training (the method group of run.json), for
 * images; {@link TextFineTuneOptions} has the same for text.
 */
public class FineTuneOptions extends MethodOptions {

  @Option(names = "--classes", defaultValue = "2", hidden = true,
      description = "Classes of the labels; set by pretext finetune from the labelled dataset.")
  public int classes;

  @Option(names = "--freeze-layers", defaultValue = "0", paramLabel = "N",
      description = "Keep the encoder's first N blocks fixed (a convolution with its batch norm is one block; default: ${DEFAULT-VALUE}).")
  int freezeBlocks;

  // arity 0..1: run.json records the flag as "true"/"false", which the registry parses back (MethodRebuild)
  @Option(names = "--frozen-encoder", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Keep the whole encoder fixed and train only the classifier.")
  boolean frozenEncoder;

  @Option(names = "--encoder-lr-scale", defaultValue = "" + FineTuneConfig.DEFAULT_ENCODER_LR_SCALE,
      description = "The encoder's learning rate as a fraction of the classifier's --lr (default: ${DEFAULT-VALUE}).")
  double encoderLrScale;

  @Option(names = "--head-first", defaultValue = "" + FineTuneConfig.DEFAULT_HEAD_FIRST, paramLabel = "FRACTION",
      description = "Fraction of the run in which the classifier trains alone before the encoder starts (LP-FT; default: ${DEFAULT-VALUE}).")
  double headFirst;

  /** The validated settings. */
  protected FineTuneConfig config() {
    return new FineTuneConfig(classes, freezeBlocks, frozenEncoder, encoderLrScale, headFirst);
  }

  @Override
  public SslMethod toMethod() {
    return new FineTune(config());
  }
}

package io.pretext.model.method.gan;

import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.method.MethodOptions;
import picocli.CommandLine.Option;

/** The options of {@code --method gan}; the discriminator's optimiser is the run's ({@code --lr}, {@code --epochs}). */
public final class GanOptions extends MethodOptions {

  @Option(names = "--noise-dim", defaultValue = "" + GanConfig.DEFAULT_NOISE_DIM,
      description = "Width of the generator's input noise (default: ${DEFAULT-VALUE}).")
  int noiseDim;

  @Option(names = "--generator-lr", defaultValue = "" + GanConfig.DEFAULT_GENERATOR_LR,
      description = "The generator's peak learning rate, Adam with beta1 0.5 on the run's schedule (default: ${DEFAULT-VALUE}).")
  double generatorLr;

  @Override
  public Gan toMethod() {
    return new Gan(new GanConfig(noiseDim, generatorLr, ConvDecoder.defaults()));
  }
}

package io.pretext.model.method.autoencoder;

import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.method.MethodOptions;
import picocli.CommandLine.Option;

/** The options of {@code --method autoencoder}. */
public final class AutoencoderOptions extends MethodOptions {

  @Option(names = "--code-dim", defaultValue = "" + AutoencoderConfig.DEFAULT_CODE_DIM,
      description = "Width of the code the decoder reconstructs the image from (default: ${DEFAULT-VALUE}).")
  int codeDim;

  @Option(names = "--denoise", defaultValue = "none",
      description = "Corrupt the input and reconstruct the clean view: none, gaussian (add noise of standard deviation --noise, clip to"
          + " [0, 1]) or mask (zero each pixel with probability --noise) (default: ${DEFAULT-VALUE}).")
  String denoise;

  @Option(names = "--noise", defaultValue = "0.3",
      description = "With --denoise: the Gaussian noise's standard deviation or the masked fraction, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double noise;

  @Override
  public Autoencoder toMethod() {
    Corruption.Kind kind = Corruption.Kind.parse(denoise);
    Corruption corruption = kind == Corruption.Kind.NONE ? Corruption.NONE : new Corruption(kind, noise);
    return new Autoencoder(new AutoencoderConfig(codeDim, corruption, ConvDecoder.defaults()));
  }
}

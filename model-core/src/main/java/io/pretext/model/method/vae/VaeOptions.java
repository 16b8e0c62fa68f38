package io.pretext.model.method.vae;

import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.method.MethodOptions;
import picocli.CommandLine.Option;

/** The options of {@code --method vae}. */
public final class VaeOptions extends MethodOptions {

  @Option(names = "--latent", defaultValue = "" + VaeConfig.DEFAULT_LATENT,
      description = "Width of the latent code (default: ${DEFAULT-VALUE}).")
  int latent;

  @Option(names = "--beta", defaultValue = "" + VaeConfig.DEFAULT_BETA,
      description = "Weight of the KL term after its warm-up; 1 is the ELBO (default: ${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--kl-warmup-epochs", defaultValue = "" + VaeConfig.DEFAULT_KL_WARMUP,
      description = "Epochs over which the KL weight rises linearly from 0 to --beta (default: ${DEFAULT-VALUE}).")
  double klWarmupEpochs;

  @Override
  public Vae toMethod() {
    return new Vae(new VaeConfig(latent, beta, klWarmupEpochs, ConvDecoder.defaults()));
  }
}

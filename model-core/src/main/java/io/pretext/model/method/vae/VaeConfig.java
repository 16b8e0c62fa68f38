package io.pretext.model.method.vae;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.model.decoder.ConvDecoder;
import java.io.Serializable;
import java.util.Objects;

/**
 * The VAE's settings, each validated here with the option that sets it ({@link VaeOptions}).
 *
 * @param latent width {@code L} of the latent code, &gt;= 1 (default {@value #DEFAULT_LATENT})
 * @param beta weight of the KL term after the warm-up, &gt; 0 (default 1: the ELBO; beta-VAE, Higgins et al. 2017,
 *     takes more)
 * @param klWarmupEpochs epochs over which the KL weight rises linearly from 0 to {@code beta} (Bowman et al. 2016),
 *     &gt;= 0 (default {@value #DEFAULT_KL_WARMUP})
 * @param decoder the decoder's widths
 */
public record VaeConfig(int latent, double beta, double klWarmupEpochs, ConvDecoder decoder) implements Serializable {
  public static final int DEFAULT_LATENT = 32;
  public static final double DEFAULT_BETA = 1.0;
  public static final double DEFAULT_KL_WARMUP = 1.0;

  public VaeConfig {
    require(latent >= 1 && latent <= 65536, "--latent", latent, "an integer 1..65536");
    require(beta > 0 && beta <= 1000 && Double.isFinite(beta), "--beta", beta, "a number in (0, 1000]");
    require(klWarmupEpochs >= 0 && klWarmupEpochs <= 1000, "--kl-warmup-epochs", klWarmupEpochs, "a number in [0, 1000]");
    Objects.requireNonNull(decoder, "decoder");
  }

  /** The defaults. */
  public static VaeConfig defaults() {
    return new VaeConfig(DEFAULT_LATENT, DEFAULT_BETA, DEFAULT_KL_WARMUP, ConvDecoder.defaults());
  }
}

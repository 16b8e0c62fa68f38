package io.pretext.model.method.gan;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.model.decoder.ConvDecoder;
import java.io.Serializable;
import java.util.Objects;

/**
 * The GAN's settings, each validated here with the option that sets it ({@link GanOptions}).
 *
 * @param noiseDim width {@code Z} of the generator's input noise, &gt;= 1 (default {@value #DEFAULT_NOISE_DIM})
 * @param generatorLr the generator's peak learning rate (Adam, beta1 {@value #BETA1}), &gt; 0 (default
 *     {@value #DEFAULT_GENERATOR_LR}: ten times the discriminator's, docs/methods.md)
 * @param generator the generator's widths (a {@link ConvDecoder})
 */
public record GanConfig(int noiseDim, double generatorLr, ConvDecoder generator) implements Serializable {
  public static final int DEFAULT_NOISE_DIM = 64;
  public static final double DEFAULT_GENERATOR_LR = 1e-3;
  /** Adam's first-moment decay for both players, DCGAN's (Radford et al. 2016, section 4: 0.9 oscillated). */
  public static final double BETA1 = 0.5;

  public GanConfig {
    require(noiseDim >= 1 && noiseDim <= 65536, "--noise-dim", noiseDim, "an integer 1..65536");
    require(generatorLr > 0 && generatorLr <= 1 && Double.isFinite(generatorLr), "--generator-lr", generatorLr, "a number in (0, 1]");
    Objects.requireNonNull(generator, "generator");
  }

  /** The defaults. */
  public static GanConfig defaults() {
    return new GanConfig(DEFAULT_NOISE_DIM, DEFAULT_GENERATOR_LR, ConvDecoder.defaults());
  }
}

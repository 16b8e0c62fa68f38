package io.pretext.model.method.autoencoder;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.model.decoder.ConvDecoder;
import java.io.Serializable;
import java.util.Objects;

/**
 * The autoencoder's settings, each validated here with the option that sets it ({@link AutoencoderOptions}).
 *
 * @param codeDim width of the code between the encoder's representation and the decoder, &gt;= 1 (default
 *     {@value #DEFAULT_CODE_DIM})
 * @param corruption the input corruption of a denoising autoencoder, {@link Corruption#NONE} for a plain one
 * @param decoder the decoder's widths
 */
public record AutoencoderConfig(int codeDim, Corruption corruption, ConvDecoder decoder) implements Serializable {
  public static final int DEFAULT_CODE_DIM = 32;

  public AutoencoderConfig {
    require(codeDim >= 1 && codeDim <= 65536, "--code-dim", codeDim, "an integer 1..65536");
    Objects.requireNonNull(corruption, "corruption");
    Objects.requireNonNull(decoder, "decoder");
  }

  /** A plain autoencoder with a 32-wide code. */
  public static AutoencoderConfig defaults() {
    return new AutoencoderConfig(DEFAULT_CODE_DIM, Corruption.NONE, ConvDecoder.defaults());
  }
}

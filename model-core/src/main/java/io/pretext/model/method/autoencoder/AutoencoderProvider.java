package io.pretext.model.method.autoencoder;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/** Registers {@link Autoencoder} as {@code --method autoencoder}. */
public final class AutoencoderProvider implements MethodProvider {

  @Override
  public String name() {
    return Autoencoder.NAME;
  }

  @Override
  public String summary() {
    return "Autoencoder (Hinton and Salakhutdinov 2006; denoising: Vincent et al. 2008): the image is reconstructed from a small code"
        + " of its representation.";
  }

  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new AutoencoderOptions();
  }
}

package io.pretext.model.method.vae;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/** Registers {@link Vae} as {@code --method vae}. */
public final class VaeProvider implements MethodProvider {

  @Override
  public String name() {
    return Vae.NAME;
  }

  @Override
  public String summary() {
    return "Variational autoencoder (Kingma and Welling 2014): a latent Gaussian code of the representation, trained on the ELBO.";
  }

  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new VaeOptions();
  }
}

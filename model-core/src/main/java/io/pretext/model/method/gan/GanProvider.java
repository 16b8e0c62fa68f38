package io.pretext.model.method.gan;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/** Registers {@link Gan} as {@code --method gan}. */
public final class GanProvider implements MethodProvider {

  @Override
  public String name() {
    return Gan.NAME;
  }

  @Override
  public String summary() {
    return "DCGAN-style GAN (Radford et al. 2016): the encoder is the discriminator, trained against a convolutional generator.";
  }

  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new GanOptions();
  }
}

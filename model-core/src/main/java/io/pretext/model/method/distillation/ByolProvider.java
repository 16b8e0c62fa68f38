package io.pretext.model.method.distillation;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/** Registers {@link Byol} as {@code --method byol}. */
public final class ByolProvider implements MethodProvider {

  @Override
  public String name() {
    return Byol.NAME;
  }

  @Override
  public String summary() {
    return "BYOL (Grill et al. 2020): an online network predicts a moving-average target's view of the same image; no negatives.";
  }


  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new ByolOptions();
  }
}

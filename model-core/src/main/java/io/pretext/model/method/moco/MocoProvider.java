package io.pretext.model.method.moco;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/** Registers {@link Moco} as {@code --method moco}. */
public final class MocoProvider implements MethodProvider {

  @Override
  public String name() {
    return Moco.NAME;
  }

  @Override
  public String summary() {
    return "MoCo v2 (He et al. 2020; Chen et al. 2020): a view agrees with a momentum encoder's key of the other view against a"
        + " queue of earlier keys.";
  }


  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new MocoOptions();
  }
}

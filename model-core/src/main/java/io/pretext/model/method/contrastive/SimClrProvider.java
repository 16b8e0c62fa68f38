package io.pretext.model.method.contrastive;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/** Registers {@link SimClr} as {@code --method simclr}. */
public final class SimClrProvider implements MethodProvider {

  @Override
  public String name() {
    return SimClr.NAME;
  }

  @Override
  public String summary() {
    return "SimCLR (Chen et al. 2020): two views of an image agree against the other images of the batch (NT-Xent).";
  }


  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new SimClrOptions();
  }

  /** The default image method: the best-measured one per image/s on Fashion-MNIST (docs/results.md). */
  @Override
  public boolean isDefaultForKind() {
    return true;
  }
}

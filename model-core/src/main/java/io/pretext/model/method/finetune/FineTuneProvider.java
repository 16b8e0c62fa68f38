package io.pretext.model.method.finetune;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/**
 * Registers {@link FineTune} so that runs of {@code pretext finetune} resume, evaluate and predict through the registry
 * like any run; it is not a pretraining method ({@link #pretrains()}).
 */
public final class FineTuneProvider implements MethodProvider {

  @Override
  public String name() {
    return FineTune.NAME;
  }

  @Override
  public String summary() {
    return "Supervised fine-tuning of a pretrained image encoder with a fresh classifier (pretext finetune).";
  }

  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new FineTuneOptions();
  }

  @Override
  public boolean pretrains() {
    return false;
  }
}

package io.pretext.model.method.finetune;

import io.pretext.model.method.MaskedTokenMethod;
import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.SslMethod;

/**
 * Registers {@link TextFineTune} so that text runs of {@code pretext finetune} resume, evaluate and predict through the
 * registry; not a pretraining method ({@link #pretrains()}).
 */
public final class TextFineTuneProvider implements MethodProvider {

  @Override
  public String name() {
    return TextFineTune.NAME;
  }

  @Override
  public String summary() {
    return "Supervised fine-tuning of a pretrained text encoder for document classification (pretext finetune).";
  }

  @Override
  public Class<? extends SslMethod> batchType() {
    return MaskedTokenMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new TextFineTuneOptions();
  }

  @Override
  public boolean pretrains() {
    return false;
  }
}

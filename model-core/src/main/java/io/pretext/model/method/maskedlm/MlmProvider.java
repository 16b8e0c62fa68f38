package io.pretext.model.method.maskedlm;

import io.pretext.model.method.MaskedTokenMethod;
import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.SslMethod;

/** Registers {@link MaskedLm} as {@code --method mlm}. */
public final class MlmProvider implements MethodProvider {

  @Override
  public String name() {
    return MaskedLm.NAME;
  }

  @Override
  public String summary() {
    return "Masked language model (BERT, Devlin et al. 2019): predict masked tokens of a text from their context.";
  }


  @Override
  public Class<? extends SslMethod> batchType() {
    return MaskedTokenMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new MlmOptions();
  }

  /** The only text method, so the default for text. */
  @Override
  public boolean isDefaultForKind() {
    return true;
  }
}

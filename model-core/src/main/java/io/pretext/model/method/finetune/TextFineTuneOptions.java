package io.pretext.model.method.finetune;

import io.pretext.model.method.SslMethod;

/** {@link FineTuneOptions} for a text dataset: the same options, building {@link TextFineTune}. */
public final class TextFineTuneOptions extends FineTuneOptions {

  @Override
  public SslMethod toMethod() {
    return new TextFineTune(config());
  }
}

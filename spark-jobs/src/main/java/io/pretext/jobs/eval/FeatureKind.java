package io.pretext.jobs.eval;

import io.pretext.model.config.OptionCheck;
import java.util.Locale;

/** Where {@code evaluate}'s features come from. */
public enum FeatureKind {
  /** The checkpoint's trained encoder. */
  TRAINED,
  /** The same architecture as the checkpoint, freshly initialised with {@code --seed}: the random-init baseline. */
  RANDOM,
  /** Raw pixels {@code v / 255}, flattened: the no-learning baseline of image datasets; needs no {@code --model}. */
  PIXELS,
  /**
   * TF-IDF bag of words over the token ids ({@link TfIdfFeatures}): the no-learning baseline of text datasets; needs no
   * {@code --model}.
   */
  TFIDF;

  public static final String ALLOWED = "trained, random, pixels (images), tfidf (text)";

  /** Whether the features come from no network: no {@code --model} is needed. */
  public boolean baseline() {
    return this == PIXELS || this == TFIDF;
  }

  /** Parses {@code --features}; the error names the option, the value and the allowed values. */
  public static FeatureKind parse(String value) {
    return OptionCheck.parseEnum(FeatureKind.class, "--features", value, ALLOWED);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.pretext.jobs.eval;

import io.pretext.model.config.OptionCheck;
import java.util.Locale;

/** Where {@code evaluate}'s features come from. */
public enum FeatureKind {
  /** The checkpoint's trained encoder. */
  TRAINED,
  /** The same architecture as the checkpoint, freshly initialised with {@code --seed}: the random-init baseline. */
  RANDOM,
  /** Raw pixels {@code v / 255}, flattened: the no-learning baseline; needs no {@code --model}. */
  PIXELS;

  public static final String ALLOWED = "trained, random, pixels";

  /** Parses {@code --encoder}; the error names the option, the value and the allowed values. */
  public static FeatureKind parse(String value) {
    return OptionCheck.parseEnum(FeatureKind.class, "--features", value, ALLOWED);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

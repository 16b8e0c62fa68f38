package io.pretext.jobs.eval;

import io.pretext.model.config.OptionCheck;
import java.util.Locale;

/** Which classifiers {@code evaluate} runs on the frozen features. */
public enum Protocol {
  /** {@link LinearProbe}: standardised features, multinomial logistic regression. */
  LINEAR,
  /** {@link KnnClassifier}: weighted kNN on cosine similarity. */
  KNN,
  /** Both. */
  BOTH;

  public static final String ALLOWED = "linear, knn, both";

  public boolean linear() {
    return this != KNN;
  }

  public boolean knn() {
    return this != LINEAR;
  }

  /** Parses {@code --protocol}; the error names the option, the value and the allowed values. */
  public static Protocol parse(String value) {
    return OptionCheck.parseEnum(Protocol.class, "--protocol", value, ALLOWED);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.pretext.model.method;

/**
 * The per-epoch monitor a method is watched with when a run names a held-out dataset ({@code pretrain --monitor}), and
 * the {@code type} of the lines it appends to {@code metrics.jsonl}. A method declares it
 * ({@link SslMethod#onlineMonitor()}); the monitors themselves live in spark-jobs and know no method.
 */
public enum OnlineMonitor {
  /**
   * kNN accuracy of the representation on a labelled held-out image dataset (InstDisc's weighted kNN): every image
   * method, whatever its loss.
   */
  KNN("knn"),
  /** Held-out masked-token accuracy and perplexity: a {@link MaskedTokenPredictor}. */
  MASKED_TOKENS("mlm"),
  /**
   * Held-out reconstruction error (and, for a VAE, negative ELBO) of a {@link Reconstructor} on the held-out images,
   * with kNN accuracy of the representation when they are labelled.
   */
  RECONSTRUCTION("reconstruction"),
  /** No held-out monitor; {@code --monitor} is refused. */
  NONE("none");

  private final String type;

  OnlineMonitor(String type) {
    this.type = type;
  }

  /** The {@code type} of its {@code metrics.jsonl} lines ({@code knn}, {@code mlm}). */
  public String type() {
    return type;
  }
}

package io.pretext.model.method;

/**
 * Held-out masked-token metrics as sums, so partial results (batches, partitions) combine exactly with {@link #plus}:
 * {@code targets} predictions, the sum of their cross-entropies (nats) and how many had the target as the arg-max.
 *
 * @param targets          masked positions scored, &gt;= 0
 * @param crossEntropySum  {@code sum -ln p(target)}, natural log
 * @param correct          predictions whose most probable token is the target
 */
public record MlmEvaluation(long targets, double crossEntropySum, long correct) implements java.io.Serializable {

  /** Nothing scored. */
  public static final MlmEvaluation EMPTY = new MlmEvaluation(0, 0, 0);

  public MlmEvaluation {
    if (targets < 0 || correct < 0 || correct > targets || !(crossEntropySum >= 0)) {
      throw new IllegalArgumentException("MlmEvaluation(targets " + targets + ", crossEntropySum " + crossEntropySum + ", correct "
          + correct + ") is inconsistent: need 0 <= correct <= targets and a finite non-negative sum");
    }
  }

  /** The sums of both. */
  public MlmEvaluation plus(MlmEvaluation other) {
    return new MlmEvaluation(targets + other.targets, crossEntropySum + other.crossEntropySum, correct + other.correct);
  }

  /** Fraction of targets predicted exactly (arg-max); NaN when nothing was scored. */
  public double accuracy() {
    return targets == 0 ? Double.NaN : (double) correct / targets;
  }

  /** Mean cross-entropy per target in nats (the training loss); NaN when nothing was scored. */
  public double meanCrossEntropy() {
    return targets == 0 ? Double.NaN : crossEntropySum / targets;
  }

  /** {@code exp(meanCrossEntropy)}: the masked-token perplexity. */
  public double perplexity() {
    return Math.exp(meanCrossEntropy());
  }
}

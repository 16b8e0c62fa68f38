package io.pretext.model.method;

import io.pretext.model.batch.TokenBatch;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A capability of a text method whose graph predicts the tokens hidden behind {@code [MASK]}: what {@code fill-mask}
 * and the held-out masked-token monitor ask for, instead of a particular method class.
 */
public interface MaskedTokenPredictor extends MaskedTokenMethod {

  /**
   * The {@code topK} most probable tokens at every {@code [MASK]} of {@code batch}, in row-major order, in inference
   * mode.
   *
   * @param graph a graph this method built (or restored from its checkpoint)
   * @param topK tokens per position, at least 1 (capped at the vocabulary size)
   */
  List<MaskPrediction> fillMask(ComputationGraph graph, TokenBatch batch, int topK);

  /**
   * Held-out masked-token metrics of a masked batch (targets given), in inference mode and without training; sums,
   * to be combined with {@link MlmEvaluation#plus}.
   */
  MlmEvaluation evaluate(ComputationGraph graph, TokenBatch batch);

  /** Monitored by held-out masked-token accuracy and perplexity. */
  @Override
  default OnlineMonitor onlineMonitor() {
    return OnlineMonitor.MASKED_TOKENS;
  }
}

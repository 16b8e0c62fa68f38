package io.pretext.model.method;

import io.pretext.model.DatasetKind;
import io.pretext.model.batch.TokenBatch;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A method that trains on token sequences with masked positions (BERT's masked language model). The data pipeline
 * tokenises and masks in the executors (dynamic masking, a pure function of seed, epoch, record and position) and hands
 * over a {@link TokenBatch}; the method turns it into its graph's tensors.
 */
public interface MaskedTokenMethod extends SslMethod {

  @Override
  default DatasetKind dataKind() {
    return DatasetKind.TEXT;
  }

  /** No held-out monitor unless the method predicts masked tokens ({@link MaskedTokenPredictor}). */
  @Override
  default OnlineMonitor onlineMonitor() {
    return OnlineMonitor.NONE;
  }

  /**
   * The tensors the graph fits for one minibatch: token ids, padding masks and the targets at the masked positions.
   *
   * @param batch masked sequences with their targets
   */
  MultiDataSet trainingBatch(TokenBatch batch);

  /**
   * Representations of the sequences of {@code batch} from a graph built by this method, in inference mode; masked
   * positions and targets, if any, are ignored.
   *
   * @return {@code [N, repDim]}
   */
  INDArray represent(ComputationGraph graph, TokenBatch batch);
}

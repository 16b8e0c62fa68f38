package io.pretext.model.method.maskedlm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.TokenInput;
import io.pretext.model.backend.SingleNativeThread;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Padding never changes the outputs at real positions: two sequences give the same final hidden states, sequence
 * representations and masked-LM logits whether they are batched alone and padded to their longest, or with a longer
 * third sequence and padded to 11 positions filled with arbitrary (non-[PAD]) token ids. FLOAT, as in training.
 * The control repeats the second batch with the padding marked as real tokens: the outputs then differ, so the test
 * would notice a layer that let padding through.
 */
@ExtendWith(SingleNativeThread.class)
class PaddingInvarianceTest {
  static final Bert BERT = Bert.parse("bert:layers=2,hidden=16,heads=4,ff=24");
  static final TokenInput INPUT = new TokenInput(30, 12);
  static final MaskedLm MLM = new MaskedLm(MlmConfig.noDropout());
  static final List<String> OUTPUTS = List.of(BERT.sequenceOutput(""), MLM.representationVertex(), MaskedLm.LOSS);

  static ComputationGraph graph;
  static int[] s1;
  static int[] s2;
  static int[] s3;

  @BeforeAll
  static void build() {
    graph = new ComputationGraph(MLM.configure(BERT, INPUT,
        new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new NoOp())));
    graph.init();
    graph.params().assign(Nd4j.randn(Nd4j.getRandomFactory().getNewRandomInstance(8), graph.params().shape()).muli(0.3));
    int[][] seqs = TokenBatches.randomSequences(new Random(21), INPUT.vocabSize(), 5, 3, 8);
    s1 = seqs[0];
    s2 = seqs[1];
    s3 = seqs[2];
  }

  /** Outputs of {@code batch}: hidden states, representations, logits. */
  private static INDArray[] run(TokenBatch batch, boolean padIsReal) {
    MultiDataSet mds = MLM.trainingBatch(batch);
    INDArray[] masks = mds.getFeaturesMaskArrays().clone();
    if (padIsReal) {
      masks[0] = Nd4j.onesLike(masks[0]);
    }
    return graph.output(OUTPUTS, false, mds.getFeatures(), masks);
  }

  private static double maxDiff(INDArray[] alone, INDArray[] padded, int[] rowsInPadded) {
    double max = 0;
    int[][] seqs = {s1, s2};
    for (int i = 0; i < 2; i++) {
      int len = seqs[i].length;
      INDArray h1 = alone[0].get(NDArrayIndex.point(i), NDArrayIndex.interval(0, len), NDArrayIndex.all());
      INDArray h2 = padded[0].get(NDArrayIndex.point(rowsInPadded[i]), NDArrayIndex.interval(0, len), NDArrayIndex.all());
      max = Math.max(max, h1.sub(h2).amaxNumber().doubleValue());
      max = Math.max(max, alone[1].getRow(i).sub(padded[1].getRow(rowsInPadded[i])).amaxNumber().doubleValue());
    }
    // Logits: the batches mask the same (sequence, position) pairs; the padded batch has s3's target first.
    INDArray l2 = padded[2].get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
    return Math.max(max, alone[2].sub(l2).amaxNumber().doubleValue());
  }

  private static TokenBatch alone() {
    return TokenBatches.masked(new int[][] {s1, s2}, 5, new int[][] {{2}, {1}});
  }

  private static TokenBatch withLongerCompanion() {
    return TokenBatches.masked(new int[][] {s3, s1, s2}, 11, new int[][] {{0}, {2}, {1}}, 17);
  }

  @Test
  void realPositionsIgnorePadding() {
    double diff = maxDiff(run(alone(), false), run(withLongerCompanion(), false), new int[] {1, 2});
    assertTrue(diff < 5e-5, "outputs at real positions changed by " + diff);
  }

  @Test
  void controlPaddingMarkedRealChangesOutputs() {
    double diff = maxDiff(run(alone(), false), run(withLongerCompanion(), true), new int[] {1, 2});
    assertTrue(diff > 1e-2, "padding marked as real should change the outputs, changed by " + diff + " " + Arrays.toString(s2));
  }
}

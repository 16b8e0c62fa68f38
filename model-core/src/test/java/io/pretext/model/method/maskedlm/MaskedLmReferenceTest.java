package io.pretext.model.method.maskedlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.model.TokenInput;
import io.pretext.model.backend.SingleNativeThread;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import io.pretext.model.loss.DoublePrecision;
import io.pretext.model.method.MlmEvaluation;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The graph's masked-LM loss, logits and representations against {@link BertReference}, an independent loop
 * implementation (double precision, random parameters of standard deviation 0.3 so every part matters): the
 * cross-entropy is taken at the masked positions only, through the head and the tied embedding matrix.
 */
@ExtendWith({DoublePrecision.class, SingleNativeThread.class})
class MaskedLmReferenceTest {
  static final Bert BERT = new Bert("bert:layers=2,hidden=8,heads=2,ff=12", 2, 8, 2, 12);
  static final TokenInput INPUT = new TokenInput(13, 10);
  static final MaskedLm MLM = new MaskedLm(MlmConfig.noDropout());

  static ComputationGraph graph;
  static BertReference reference;
  static TokenBatch batch;

  @BeforeAll
  static void build() {
    graph = new ComputationGraph(MLM.configure(BERT, INPUT,
        new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).updater(new NoOp())));
    graph.init();
    graph.params().assign(Nd4j.randn(Nd4j.getRandomFactory().getNewRandomInstance(99), graph.params().shape())
        .castTo(DataType.DOUBLE).muli(0.3));
    reference = new BertReference(BERT, graph);
    batch = TokenBatches.masked(TokenBatches.randomSequences(new Random(1), INPUT.vocabSize(), 9, 4, 1, 7), 9,
        new int[][] {{0, 4, 8}, {2}, {0}, {3, 6}});
  }

  @Test
  void scoreIsTheMeanCrossEntropyAtTheMaskedPositions() {
    double expected = reference.meanCrossEntropy(batch);
    assertEquals(expected, graph.score(MLM.trainingBatch(batch), false), 1e-10 * Math.abs(expected));
  }

  @Test
  void logitsMatchAtEveryMaskedPosition() {
    INDArray logits = MLM.logits(graph, batch, batch.maskedPositions());
    int t = batch.paddedLength();
    for (int j = 0; j < batch.maskedPositions().length; j++) {
      int p = batch.maskedPositions()[j];
      double[] expected = reference.logits(reference.hidden(batch, p / t), p % t);
      assertArrayEquals(expected, logits.getRow(j).toDoubleVector(), 1e-10, "position " + p);
    }
  }

  @Test
  void representationIsTheMeanOverRealTokens() {
    INDArray rep = MLM.represent(graph, batch);
    assertEquals(List.of((long) batch.size(), (long) BERT.hidden()), List.of(rep.size(0), rep.size(1)));
    for (int i = 0; i < batch.size(); i++) {
      assertArrayEquals(reference.representation(batch, i), rep.getRow(i).toDoubleVector(), 1e-10, "sequence " + i);
    }
  }

  @Test
  void evaluationAgreesWithTheLoss() {
    MlmEvaluation e = MLM.evaluate(graph, batch);
    assertEquals(batch.maskedPositions().length, e.targets());
    assertEquals(reference.meanCrossEntropy(batch), e.meanCrossEntropy(), 1e-10);
    assertEquals(Math.exp(e.meanCrossEntropy()), e.perplexity(), 1e-12);
  }
}

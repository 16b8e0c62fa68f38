package io.pretext.model.method.maskedlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.TokenInput;
import io.pretext.model.backend.SingleNativeThread;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import io.pretext.model.loss.DoublePrecision;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Double-precision gradient check of the whole masked-LM graph {@link MaskedLm} builds on a tiny BERT (2 blocks,
 * hidden 4, 2 heads, feed-forward 6, vocabulary 9, 6 positions), set up as {@code TransformerGradientCheckTest}: every
 * parameter of the embeddings, both blocks, the head and the tied table, minibatches of 1 and 3 sequences with
 * padding, dropout 0, random parameters of standard deviation 0.3.
 */
@ExtendWith({DoublePrecision.class, SingleNativeThread.class})
class MaskedLmGradientCheckTest {
  static final Bert TINY = new Bert("bert:layers=2,hidden=4,heads=2,ff=6", 2, 4, 2, 6);
  static final TokenInput INPUT = new TokenInput(9, 6);

  static Stream<Arguments> batches() {
    return Stream.of(
        Arguments.of(new int[] {5}, 5, new int[][] {{1, 3}}),
        Arguments.of(new int[] {6, 2, 4}, 6, new int[][] {{0, 5}, {1}, {2}}));
  }

  @ParameterizedTest(name = "lengths={0} T={1}")
  @MethodSource("batches")
  void wholeGraphGradients(int[] lengths, int t, int[][] masked) {
    ComputationGraphConfiguration conf = new MaskedLm(MlmConfig.noDropout()).configure(TINY, INPUT,
        new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE).updater(new NoOp()));
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed);
    ComputationGraph graph = new ComputationGraph(parsed);
    graph.init();
    graph.params().assign(Nd4j.randn(Nd4j.getRandomFactory().getNewRandomInstance(11 + t), graph.params().shape())
        .castTo(DataType.DOUBLE).muli(0.3));
    TokenBatch batch = TokenBatches.masked(TokenBatches.randomSequences(new Random(3 + t), INPUT.vocabSize(), lengths), t, masked);
    MultiDataSet mds = new MaskedLm(MlmConfig.noDropout()).trainingBatch(batch);
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(graph)
        .inputs(mds.getFeatures())
        .labels(mds.getLabels())
        .inputMask(mds.getFeaturesMaskArrays())
        .epsilon(1e-6)
        .maxRelError(1e-5)
        .minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
        .exitOnFirstError(false));
    assertTrue(ok, "gradient check failed for " + batch);
  }
}

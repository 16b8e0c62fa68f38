package io.pretext.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.backend.SingleNativeThread;
import io.pretext.model.loss.DoublePrecision;
import io.pretext.model.loss.SparseSoftmaxCrossEntropy;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * Double-precision gradient checks of the hand-written Transformer layers and vertices inside DL4J graphs, set up as
 * DL4J's own checks (NoOp updater, epsilon 1e-6, max relative error 1e-5, min absolute error 1e-8, JSON round trip of
 * the configuration first), with minibatches of 1 and 3 sequences, padding (mask 0) after the shorter ones, and
 * random parameters of standard deviation 0.3 (BERT's 0.02 would make attention nearly uniform and most gradients
 * tiny). Dropout is 0: the checks need a deterministic forward pass.
 *
 * <ul>
 *   <li>{@code block}: real-valued input {@code [N, T, H]} -> EmbeddingNorm -> TransformerBlock -> MaskedMeanPooling ->
 *       MSE; checks the block's twelve parameters, and through EmbeddingNorm's parameters the block's input gradient
 *       and the pooling's backward pass.</li>
 *   <li>{@code tied}: ids -> VocabularyTable -> TokenLookup -> EmbeddingNorm -> GatherPositions -> MlmTransform ->
 *       TiedProjection(table) -> cross-entropy; the table's {@code W} gets gradient from both the lookup and the
 *       projection, so a missing or double-counted contribution fails the check. Ids repeat (vocabulary of 7).</li>
 * </ul>
 * The whole masked-LM graph is checked in {@code MaskedLmGradientCheckTest}.
 */
@ExtendWith({DoublePrecision.class, SingleNativeThread.class})
class TransformerGradientCheckTest {
  private static final long SEED = 12345;
  static final int H = 4;
  static final int HEADS = 2;
  static final int FF = 6;
  static final int MAX_POS = 6;
  static final int VOCAB = 7;

  static Stream<Arguments> batches() {
    // {lengths}, padded length
    return Stream.of(
        Arguments.of(new int[] {4}, 4),
        Arguments.of(new int[] {3}, 5),
        Arguments.of(new int[] {5, 2, 4}, 5),
        Arguments.of(new int[] {1, 3, 3}, 3));
  }

  @ParameterizedTest(name = "block lengths={0} T={1}")
  @MethodSource("batches")
  void blockGradients(int[] lengths, int t) {
    int n = lengths.length;
    ComputationGraphConfiguration conf = builder().graphBuilder()
        .addInputs("in")
        .addLayer("emb", new EmbeddingNorm(H, MAX_POS, 0), "in")
        .addLayer("block", new TransformerBlock(H, HEADS, FF, 0, 0), "emb")
        .addLayer("pool", new MaskedMeanPooling(), "block")
        .addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "pool")
        .setOutputs("loss")
        .build();
    Random rng = Nd4j.getRandomFactory().getNewRandomInstance(SEED + n * 31L + t);
    INDArray x = Nd4j.randn(rng, new long[] {n, t, H}).castTo(DataType.DOUBLE);
    INDArray labels = Nd4j.randn(rng, new long[] {n, H}).castTo(DataType.DOUBLE);
    assertTrue(check(conf, new INDArray[] {x}, new INDArray[] {labels}, new INDArray[] {mask(lengths, t)}, rng));
  }

  @ParameterizedTest(name = "tied lengths={0} T={1}")
  @MethodSource("batches")
  void tiedEmbeddingGradients(int[] lengths, int t) {
    int n = lengths.length;
    ComputationGraphConfiguration conf = builder().graphBuilder()
        .addInputs("ids", "positions")
        .addLayer("table", new VocabularyTable(VOCAB, H), "ids")
        .addVertex("lookup", new TokenLookup(), "ids", "table")
        .addLayer("emb", new EmbeddingNorm(H, MAX_POS, 0), "lookup")
        .addVertex("gather", new GatherPositions(), "emb", "positions")
        .addLayer("transform", new MlmTransform(H), "gather")
        .addVertex("logits", new TiedProjection(), "transform", "table")
        .addLayer("loss", new LossLayer.Builder(new SparseSoftmaxCrossEntropy()).activation(Activation.IDENTITY).build(), "logits")
        .setOutputs("loss")
        .build();
    Random rng = Nd4j.getRandomFactory().getNewRandomInstance(SEED + n * 17L + t);
    INDArray ids = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.UniformDistribution(
        Nd4j.createUninitialized(DataType.DOUBLE, n, t), 0, VOCAB), rng);
    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.same.Floor(ids, ids));
    // Two targets per sequence where possible (the first and the last real token).
    int[] pos = new int[2 * n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      pos[m++] = i * t;
      if (lengths[i] > 1) {
        pos[m++] = i * t + lengths[i] - 1;
      }
    }
    INDArray positions = Nd4j.create(DataType.DOUBLE, m, 1);
    INDArray targets = Nd4j.create(DataType.DOUBLE, m, 1);
    for (int j = 0; j < m; j++) {
      positions.putScalar(j, 0, pos[j]);
      targets.putScalar(j, 0, (j * 3 + 1) % VOCAB);
    }
    assertTrue(check(conf, new INDArray[] {ids, positions}, new INDArray[] {targets}, new INDArray[] {mask(lengths, t), null}, rng));
  }

  static NeuralNetConfiguration.Builder builder() {
    return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new NoOp());
  }

  static INDArray mask(int[] lengths, int t) {
    INDArray mask = Nd4j.zeros(DataType.DOUBLE, lengths.length, t);
    for (int i = 0; i < lengths.length; i++) {
      for (int j = 0; j < lengths[i]; j++) {
        mask.putScalar(i, j, 1.0);
      }
    }
    return mask;
  }

  /** JSON round trip, random parameters (std 0.3), then DL4J's gradient check. */
  static boolean check(ComputationGraphConfiguration conf, INDArray[] inputs, INDArray[] labels, INDArray[] masks, Random rng) {
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed);
    ComputationGraph graph = new ComputationGraph(parsed);
    graph.init();
    graph.params().assign(Nd4j.randn(rng, graph.params().shape()).castTo(DataType.DOUBLE).muli(0.3));
    return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(graph)
        .inputs(inputs)
        .labels(labels)
        .inputMask(masks)
        .epsilon(1e-6)
        .maxRelError(1e-5)
        .minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
        .exitOnFirstError(false));
  }
}

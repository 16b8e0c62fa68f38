package io.pretext.model.method.maskedlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.DatasetKind;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.TokenInput;
import io.pretext.model.backend.SingleNativeThread;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import io.pretext.model.encoder.SmallCnn;
import io.pretext.model.method.MaskedTokenMethod;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.Methods;
import io.pretext.model.method.Representations;
import io.pretext.model.method.SslMethod;
import io.pretext.model.optim.OptimizerConfig;
import io.pretext.model.transformer.ParamSpec;
import io.pretext.model.transformer.TransformerLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import picocli.CommandLine;

/** {@link MaskedLm}: registry, refusals, the batch layout, options, weight decay, and serialisation round trips. */
@ExtendWith(SingleNativeThread.class)
class MaskedLmTest {
  static final Bert SMALL = Bert.parse("bert:layers=2,hidden=16,heads=2,ff=32");
  static final TokenInput INPUT = new TokenInput(20, 12);
  static final GraphSettings SETTINGS = GraphSettings.of(42, OptimizerConfig.adamW(1e-3, 0.01, 2, 100));

  static TokenBatch batch() {
    return TokenBatches.masked(TokenBatches.randomSequences(new Random(4), INPUT.vocabSize(), 6, 3, 9), 9,
        new int[][] {{1, 4}, {0}, {2, 7, 8}});
  }

  @Test
  void registeredAsMlm() {
    MethodProvider p = Methods.byName("mlm");
    assertEquals(MaskedLm.NAME, p.name());
    assertEquals(DatasetKind.TEXT, p.dataKind());
    assertSame(MaskedTokenMethod.class, p.batchType());
    assertTrue(p.newOptions().toMethod() instanceof MaskedLm);
    assertTrue(Methods.names().contains("mlm"), Methods.names());
  }

  @Test
  void optionsParseAndValidate() {
    MlmOptions options = (MlmOptions) Methods.byName("mlm").newOptions();
    new CommandLine(options).parseArgs("--dropout", "0.2", "--attention-dropout", "0");
    assertEquals(new MlmConfig(0.2, 0.0), options.toMethod().config());
    MlmOptions defaults = new MlmOptions();
    new CommandLine(defaults).parseArgs();
    assertEquals(MlmConfig.defaults(), defaults.toMethod().config());
    MlmOptions bad = new MlmOptions();
    new CommandLine(bad).parseArgs("--dropout", "1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::toMethod);
    assertTrue(e.getMessage().contains("--dropout") && e.getMessage().contains("'1.0'"), e.getMessage());
  }

  @Test
  void refusesImageInputAndImageEncoders() {
    MaskedLm mlm = new MaskedLm(MlmConfig.defaults());
    IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
        () -> mlm.configure(SMALL, InputShape.greyscale(28, 28), SETTINGS));
    assertTrue(image.getMessage().contains("masked-LM") && image.getMessage().contains("takes text input, not image"),
        image.getMessage());
    IllegalArgumentException cnn = assertThrows(IllegalArgumentException.class, () -> mlm.configure(new SmallCnn(), INPUT, SETTINGS));
    assertTrue(cnn.getMessage().contains("small-cnn") && cnn.getMessage().contains("bert-tiny"), cnn.getMessage());
  }

  @Test
  void trainingBatchLayout() {
    TokenBatch b = batch();
    MultiDataSet mds = new MaskedLm(MlmConfig.defaults()).trainingBatch(b);
    assertEquals(2, mds.getFeatures().length);
    assertArrayEquals(new long[] {3, 9}, mds.getFeatures(0).shape());
    assertArrayEquals(new long[] {6, 1}, mds.getFeatures(1).shape());
    assertArrayEquals(new long[] {6, 1}, mds.getLabels(0).shape());
    assertEquals(1, mds.getLabels().length);
    assertNull(mds.getLabelsMaskArrays());
    assertArrayEquals(new long[] {3, 9}, mds.getFeaturesMaskArray(0).shape());
    assertNull(mds.getFeaturesMaskArray(1));
    for (int i = 0; i < b.size(); i++) {
      for (int t = 0; t < b.paddedLength(); t++) {
        assertEquals(b.tokens()[i * 9 + t], mds.getFeatures(0).getInt(i, t));
        assertEquals(t < b.lengths()[i] ? 1 : 0, mds.getFeaturesMaskArray(0).getInt(i, t));
      }
    }
    for (int j = 0; j < 6; j++) {
      assertEquals(b.maskedPositions()[j], mds.getFeatures(1).getInt(j, 0));
      assertEquals(b.maskedLabels()[j], mds.getLabels(0).getInt(j, 0));
    }
    assertEquals(DataType.FLOAT, mds.getFeatures(0).dataType());
  }

  @Test
  void refusesABatchWithoutTargets() {
    TokenBatch none = TokenBatch.unmasked(1, 3, new int[] {5, 6, 7}, new int[] {3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MaskedLm(MlmConfig.defaults()).trainingBatch(none));
    assertTrue(e.getMessage().contains("no masked position"), e.getMessage());
  }

  /** DL4J Spark's Export approach and checkpoints of batches write MultiDataSets with {@code save}. */
  @Test
  void trainingBatchSurvivesSaveAndLoad() throws Exception {
    MultiDataSet mds = new MaskedLm(MlmConfig.defaults()).trainingBatch(batch());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    mds.save(out);
    org.nd4j.linalg.dataset.MultiDataSet back = new org.nd4j.linalg.dataset.MultiDataSet();
    back.load(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(mds.getFeatures(0), back.getFeatures(0));
    assertEquals(mds.getFeatures(1), back.getFeatures(1));
    assertEquals(mds.getLabels(0), back.getLabels(0));
    assertEquals(mds.getFeaturesMaskArray(0), back.getFeaturesMaskArray(0));
    assertNull(back.getFeaturesMaskArray(1));
  }

  /** BERT decays weights and embeddings but not LayerNorm parameters or biases. */
  @Test
  void weightDecayOnlyOnWeights() {
    ComputationGraphConfiguration conf = new MaskedLm(MlmConfig.defaults()).configure(SMALL, INPUT, SETTINGS);
    int decayed = 0;
    int exempt = 0;
    for (var v : conf.getVertices().values()) {
      GraphVertexLayer layer = GraphVertexLayer.of(v);
      if (layer == null) {
        continue;
      }
      for (ParamSpec p : layer.layer.paramSpecs()) {
        java.util.List<Regularization> r = layer.layer.getRegularizationByParam(p.name());
        boolean decays = r != null && r.stream().anyMatch(x -> x instanceof WeightDecay);
        assertEquals(p.role() == ParamSpec.Role.WEIGHT, decays, layer.name + "." + p.name());
        if (decays) {
          decayed++;
        } else {
          exempt++;
        }
      }
    }
    // token_table W, embeddings P, 4 kernels per block, transform W; biases and LayerNorms exempt.
    assertEquals(1 + 1 + 2 * 4 + 1, decayed);
    assertEquals(1 + 2 + 2 * 8 + 3, exempt);
  }

  private record GraphVertexLayer(String name, TransformerLayer layer) {
    static GraphVertexLayer of(org.deeplearning4j.nn.conf.graph.GraphVertex v) {
      if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof TransformerLayer t) {
        return new GraphVertexLayer(t.getLayerName(), t);
      }
      return null;
    }
  }

  /**
   * The configuration round-trips through DL4J's JSON; a graph restored by {@code ModelSerializer} and a Spark worker's
   * copy ({@code new ComputationGraph(conf.clone())} with the broadcast parameters) give identical outputs, and the
   * restored one keeps training.
   */
  @Test
  void serialisationRoundTrips(@TempDir Path dir) throws Exception {
    MaskedLm mlm = new MaskedLm(MlmConfig.defaults());
    ComputationGraph graph = mlm.build(SMALL, INPUT, SETTINGS);
    TokenBatch b = batch();
    graph.fit(mlm.trainingBatch(b));
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(graph.getConfiguration().toJson());
    assertEquals(graph.getConfiguration(), parsed);

    INDArray logits = mlm.logits(graph, b, b.maskedPositions());
    INDArray rep = mlm.represent(graph, b);
    File file = dir.resolve("mlm.zip").toFile();
    ModelSerializer.writeModel(graph, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
    assertEquals(logits, mlm.logits(restored, b, b.maskedPositions()));
    assertEquals(rep, mlm.represent(restored, b));

    ComputationGraph worker = new ComputationGraph(graph.getConfiguration().clone());
    worker.init(graph.params().dup(), false);
    assertEquals(logits, mlm.logits(worker, b, b.maskedPositions()));

    // Same dropout draws for both: DL4J's dropout (and Pretext's) uses ND4J's global generator.
    Nd4j.getRandom().setSeed(77);
    graph.fit(mlm.trainingBatch(b));
    Nd4j.getRandom().setSeed(77);
    restored.fit(mlm.trainingBatch(b));
    assertEquals(graph.params(), restored.params(), "restored model with its updater trains identically");
  }

  /** The encoder-only graph (for broadcasting to evaluation) needs only the token ids and gives the same vectors. */
  @Test
  void encoderOnlyGraphGivesTheSameRepresentations() {
    MaskedLm mlm = new MaskedLm(MlmConfig.defaults());
    ComputationGraph graph = mlm.build(SMALL, INPUT, SETTINGS);
    TokenBatch b = batch();
    ComputationGraph encoder = Representations.encoderOnly(graph, mlm.representationVertex());
    assertEquals(List.of(SslMethod.INPUT), encoder.getConfiguration().getNetworkInputs());
    MultiDataSet mds = mlm.trainingBatch(b);
    INDArray out = encoder.output(false, new INDArray[] {mds.getFeatures(0)}, new INDArray[] {mds.getFeaturesMaskArray(0)})[0];
    assertEquals(mlm.represent(graph, b), out);
  }

  @Test
  void paramCountOfBertTinyMatchesHuggingFace() {
    // HuggingFace BertForMaskedLM, vocab 8000, 64 positions, no token types: embeddings 8000*128 + 64*128 + 2*128,
    // 2 layers of 198,272 (4 * 128^2 + 4 * 128 + 2 * 128 * 512 + 512 + 128 + 4 * 128), head 128^2 + 128 + 2 * 128 + 8000.
    ComputationGraph g = new MaskedLm(MlmConfig.defaults()).build(Bert.tiny(), new TokenInput(8000, 64), SETTINGS);
    long expected = 8000L * 128 + 64 * 128 + 2 * 128 + 2 * 198_272L + 128 * 128 + 128 + 2 * 128 + 8000;
    assertEquals(expected, g.numParams());
    Map<String, INDArray> table = g.paramTable();
    double std = table.get("block_0_W1").stdNumber().doubleValue();
    assertEquals(0.02 * 0.8796, std, 0.002, "truncated normal 0.02 (two-sigma truncation: 0.88 * 0.02)");
    assertTrue(table.get("block_0_W1").amaxNumber().doubleValue() <= 0.04 + 1e-6);
    assertEquals(1.0, table.get("block_0_gamma1").meanNumber().doubleValue());
    assertEquals(0.0, table.get("block_0_b1").amaxNumber().doubleValue());
  }
}

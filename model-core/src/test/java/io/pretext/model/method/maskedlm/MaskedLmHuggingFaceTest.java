package io.pretext.model.method.maskedlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.TokenInput;
import io.pretext.model.backend.SingleNativeThread;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import io.pretext.model.loss.DoublePrecision;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Pretext's masked-LM graph reproduces HuggingFace's {@code BertForMaskedLM} (transformers 5.18, float64): the same
 * parameters (mapped by name; BERT's single token-type embedding, added at every position, folded into the position
 * embeddings) give the same logits at the masked positions, the same loss, and the same gradient for every parameter,
 * including the tied embedding matrix. Golden values: {@code mlm/hf_bert_golden.json}, written by
 * {@code bench/reference/mlm_golden.py}.
 */
@ExtendWith({DoublePrecision.class, SingleNativeThread.class})
class MaskedLmHuggingFaceTest {
  static final String HF = "bert.encoder.layer.";
  static JsonNode golden;
  static ComputationGraph graph;
  static MultiDataSet batch;
  static TokenBatch tokens;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = MaskedLmHuggingFaceTest.class.getResourceAsStream("/mlm/hf_bert_golden.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    JsonNode c = golden.get("config");
    Bert bert = new Bert("golden", c.get("layers").asInt(), c.get("hidden").asInt(), c.get("heads").asInt(), c.get("ff").asInt());
    MaskedLm mlm = new MaskedLm(MlmConfig.noDropout());
    graph = new ComputationGraph(mlm.configure(bert, new TokenInput(c.get("vocab").asInt(), c.get("positions").asInt()),
        new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).updater(new NoOp())));
    graph.init();
    for (Map.Entry<String, INDArray> e : hfLayout(graph.paramTable(), "params").entrySet()) {
      INDArray target = graph.paramTable().get(e.getKey());
      assertArrayEquals(target.shape(), e.getValue().shape(), e.getKey());
      target.assign(e.getValue());
    }
    int[][] ids = matrix(golden.get("tokens"));
    int n = ids.length;
    int t = ids[0].length;
    int[] flat = new int[n * t];
    for (int i = 0; i < n; i++) {
      System.arraycopy(ids[i], 0, flat, i * t, t);
    }
    tokens = new TokenBatch(n, t, flat, ints(golden.get("lengths")), ints(golden.get("positions")), ints(golden.get("targets")));
    batch = mlm.trainingBatch(tokens);
  }

  /**
   * Pretext's parameters (or gradients) from HuggingFace's {@code field} ("params" or "grads"), keyed by Pretext's
   * names.
   */
  static Map<String, INDArray> hfLayout(Map<String, INDArray> shapes, String field) {
    JsonNode p = golden.get(field);
    Map<String, INDArray> out = new java.util.LinkedHashMap<>();
    out.put("token_table_W", array(p.get("bert.embeddings.word_embeddings.weight")));
    out.put("token_table_b", array(p.get("cls.predictions.bias")).reshape(1, -1));
    INDArray positions = array(p.get("bert.embeddings.position_embeddings.weight"));
    if (field.equals("params")) {
      positions.addiRowVector(array(p.get("bert.embeddings.token_type_embeddings.weight")).getRow(0));
    }
    out.put("embeddings_P", positions);
    out.put("embeddings_gamma", row(p, "bert.embeddings.LayerNorm.weight"));
    out.put("embeddings_beta", row(p, "bert.embeddings.LayerNorm.bias"));
    int layers = golden.get("config").get("layers").asInt();
    for (int l = 0; l < layers; l++) {
      String h = HF + l + ".";
      String b = "block_" + l + "_";
      out.put(b + "Wqkv", Nd4j.hstack(linear(p, h + "attention.self.query"), linear(p, h + "attention.self.key"),
          linear(p, h + "attention.self.value")));
      out.put(b + "bqkv", Nd4j.hstack(row(p, h + "attention.self.query.bias"), row(p, h + "attention.self.key.bias"),
          row(p, h + "attention.self.value.bias")));
      out.put(b + "Wo", linear(p, h + "attention.output.dense"));
      out.put(b + "bo", row(p, h + "attention.output.dense.bias"));
      out.put(b + "gamma1", row(p, h + "attention.output.LayerNorm.weight"));
      out.put(b + "beta1", row(p, h + "attention.output.LayerNorm.bias"));
      out.put(b + "W1", linear(p, h + "intermediate.dense"));
      out.put(b + "b1", row(p, h + "intermediate.dense.bias"));
      out.put(b + "W2", linear(p, h + "output.dense"));
      out.put(b + "b2", row(p, h + "output.dense.bias"));
      out.put(b + "gamma2", row(p, h + "output.LayerNorm.weight"));
      out.put(b + "beta2", row(p, h + "output.LayerNorm.bias"));
    }
    out.put("mlm_transform_W", linear(p, "cls.predictions.transform.dense"));
    out.put("mlm_transform_b", row(p, "cls.predictions.transform.dense.bias"));
    out.put("mlm_transform_gamma", row(p, "cls.predictions.transform.LayerNorm.weight"));
    out.put("mlm_transform_beta", row(p, "cls.predictions.transform.LayerNorm.bias"));
    assertEquals(shapes.keySet(), out.keySet(), "every Pretext parameter has a HuggingFace counterpart");
    return out;
  }

  @Test
  void logitsAtTheMaskedPositionsMatch() {
    INDArray logits = new MaskedLm(MlmConfig.noDropout()).logits(graph, tokens, tokens.maskedPositions());
    INDArray expected = array(golden.get("logits"));
    assertTrue(expected.equalsWithEps(logits, 1e-10), "max difference " + expected.sub(logits).amaxNumber());
  }

  @Test
  void lossMatches() {
    assertEquals(golden.get("loss").asDouble(), graph.score(batch, true), 1e-12);
  }

  @Test
  void everyGradientMatchesIncludingTheTiedEmbeddings() {
    graph.setInputs(batch.getFeatures());
    graph.setLabels(batch.getLabels());
    graph.setLayerMaskArrays(batch.getFeaturesMaskArrays(), null);
    graph.computeGradientAndScore();
    double m = batch.getLabels(0).size(0);
    Map<String, INDArray> grads = graph.gradient().gradientForVariable();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, INDArray> e : hfLayout(graph.paramTable(), "grads").entrySet()) {
      // DL4J's gradient is of the summed loss (its updater divides by the M labels); HuggingFace's of the mean.
      INDArray ours = grads.get(e.getKey()).div(m);
      if (!e.getValue().equalsWithEps(ours, 1e-10)) {
        wrong.add(e.getKey() + " (max difference " + e.getValue().sub(ours).amaxNumber() + ")");
      }
    }
    assertTrue(wrong.isEmpty(), "gradients differ: " + wrong);
  }

  static INDArray array(JsonNode node) {
    if (!node.get(0).isArray()) {
      double[] v = new double[node.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = node.get(i).asDouble();
      }
      return Nd4j.createFromArray(v);
    }
    double[][] v = new double[node.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = new double[node.get(i).size()];
      for (int j = 0; j < v[i].length; j++) {
        v[i][j] = node.get(i).get(j).asDouble();
      }
    }
    return Nd4j.createFromArray(v);
  }

  /** A torch {@code Linear} weight {@code [out, in]} as Pretext's {@code [in, out]}. */
  static INDArray linear(JsonNode p, String module) {
    return array(p.get(module + ".weight")).transpose().dup('c');
  }

  static INDArray row(JsonNode p, String name) {
    return array(p.get(name)).reshape(1, -1);
  }

  static int[] ints(JsonNode node) {
    int[] v = new int[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asInt();
    }
    return v;
  }

  static int[][] matrix(JsonNode node) {
    int[][] v = new int[node.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = ints(node.get(i));
    }
    return v;
  }
}

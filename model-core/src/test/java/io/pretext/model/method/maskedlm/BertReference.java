package io.pretext.model.method.maskedlm;

import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import java.util.Map;
import org.apache.commons.math3.special.Erf;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An independent, loop-by-loop implementation of BERT's forward pass and masked-LM loss, written from the paper and
 * HuggingFace's {@code modeling_bert.py}, reading the parameters of a graph {@link MaskedLm} built (no dropout, post-LN,
 * exact GELU, LayerNorm epsilon 1e-12). It shares no code with the DL4J layers: plain {@code double} arrays.
 */
final class BertReference {
  private static final double EPS = 1e-12;

  private final Bert bert;
  private final Map<String, INDArray> params;

  BertReference(Bert bert, ComputationGraph graph) {
    this.bert = bert;
    this.params = graph.paramTable();
  }

  private double[][] matrix(String key) {
    return params.get(key).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
  }

  private double[] vector(String key) {
    return params.get(key).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(-1).toDoubleVector();
  }

  /** Final hidden states of sequence {@code i} of the batch, {@code [len][H]}. */
  double[][] hidden(TokenBatch batch, int i) {
    int len = batch.lengths()[i];
    int h = bert.hidden();
    double[][] w = matrix("token_table_W");
    double[][] pos = matrix("embeddings_P");
    double[][] x = new double[len][h];
    for (int t = 0; t < len; t++) {
      int id = batch.tokens()[i * batch.paddedLength() + t];
      for (int k = 0; k < h; k++) {
        x[t][k] = w[id][k] + pos[t][k];
      }
    }
    x = layerNorm(x, vector("embeddings_gamma"), vector("embeddings_beta"));
    for (int l = 0; l < bert.layers(); l++) {
      x = block(x, "block_" + l + "_");
    }
    return x;
  }

  private double[][] block(double[][] x, String p) {
    int len = x.length;
    int h = bert.hidden();
    int heads = bert.heads();
    int d = h / heads;
    double[][] qkv = dense(x, matrix(p + "Wqkv"), vector(p + "bqkv"));
    double[][] ctx = new double[len][h];
    for (int a = 0; a < heads; a++) {
      for (int i = 0; i < len; i++) {
        double[] scores = new double[len];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
          double s = 0;
          for (int k = 0; k < d; k++) {
            s += qkv[i][a * d + k] * qkv[j][h + a * d + k];
          }
          scores[j] = s / Math.sqrt(d);
          max = Math.max(max, scores[j]);
        }
        double z = 0;
        for (int j = 0; j < len; j++) {
          scores[j] = Math.exp(scores[j] - max);
          z += scores[j];
        }
        for (int j = 0; j < len; j++) {
          for (int k = 0; k < d; k++) {
            ctx[i][a * d + k] += scores[j] / z * qkv[j][2 * h + a * d + k];
          }
        }
      }
    }
    double[][] attn = dense(ctx, matrix(p + "Wo"), vector(p + "bo"));
    double[][] h1 = layerNorm(add(x, attn), vector(p + "gamma1"), vector(p + "beta1"));
    double[][] f = dense(h1, matrix(p + "W1"), vector(p + "b1"));
    for (double[] row : f) {
      for (int k = 0; k < row.length; k++) {
        row[k] = gelu(row[k]);
      }
    }
    double[][] f2 = dense(f, matrix(p + "W2"), vector(p + "b2"));
    return layerNorm(add(h1, f2), vector(p + "gamma2"), vector(p + "beta2"));
  }

  /** Logits over the vocabulary at position {@code t} of sequence {@code i}, through the head and the tied table. */
  double[] logits(double[][] hidden, int t) {
    double[][] z = dense(new double[][] {hidden[t]}, matrix("mlm_transform_W"), vector("mlm_transform_b"));
    for (int k = 0; k < z[0].length; k++) {
      z[0][k] = gelu(z[0][k]);
    }
    double[] y = layerNorm(z, vector("mlm_transform_gamma"), vector("mlm_transform_beta"))[0];
    double[][] w = matrix("token_table_W");
    double[] b = vector("token_table_b");
    double[] out = new double[w.length];
    for (int v = 0; v < w.length; v++) {
      double s = b[v];
      for (int k = 0; k < y.length; k++) {
        s += y[k] * w[v][k];
      }
      out[v] = s;
    }
    return out;
  }

  /** Mean over the batch's targets of {@code -ln softmax(logits)[target]}. */
  double meanCrossEntropy(TokenBatch batch) {
    double sum = 0;
    int t = batch.paddedLength();
    double[][][] hidden = new double[batch.size()][][];
    for (int j = 0; j < batch.maskedPositions().length; j++) {
      int p = batch.maskedPositions()[j];
      int i = p / t;
      if (hidden[i] == null) {
        hidden[i] = hidden(batch, i);
      }
      double[] z = logits(hidden[i], p % t);
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double s = 0;
      for (double v : z) {
        s += Math.exp(v - max);
      }
      sum += Math.log(s) + max - z[batch.maskedLabels()[j]];
    }
    return sum / batch.maskedPositions().length;
  }

  /** Mean of the final hidden states over the real tokens. */
  double[] representation(TokenBatch batch, int i) {
    double[][] x = hidden(batch, i);
    double[] out = new double[bert.hidden()];
    for (double[] row : x) {
      for (int k = 0; k < out.length; k++) {
        out[k] += row[k] / x.length;
      }
    }
    return out;
  }

  static double gelu(double x) {
    return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
  }

  static double[][] dense(double[][] x, double[][] w, double[] b) {
    double[][] out = new double[x.length][b.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < b.length; j++) {
        double s = b[j];
        for (int k = 0; k < w.length; k++) {
          s += x[i][k] * w[k][j];
        }
        out[i][j] = s;
      }
    }
    return out;
  }

  static double[][] add(double[][] a, double[][] b) {
    double[][] out = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[0].length; k++) {
        out[i][k] = a[i][k] + b[i][k];
      }
    }
    return out;
  }

  static double[][] layerNorm(double[][] x, double[] gamma, double[] beta) {
    double[][] out = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (double v : x[i]) {
        mean += v / x[i].length;
      }
      double var = 0;
      for (double v : x[i]) {
        var += (v - mean) * (v - mean) / x[i].length;
      }
      for (int k = 0; k < x[i].length; k++) {
        out[i][k] = (x[i][k] - mean) / Math.sqrt(var + EPS) * gamma[k] + beta[k];
      }
    }
    return out;
  }
}

package io.pretext.model.method.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.loss.DoublePrecision;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * The VAE's parts, {@link GaussianSample} and {@link GaussianKl}, in a small VAE in double precision: gradient checks
 * (DL4J's settings: NoOp updater, epsilon 1e-6, max relative error 1e-5, JSON round trip first) with several KL
 * weights, and the score against the ELBO computed by hand from the graph's own activations.
 */
@ExtendWith(DoublePrecision.class)
class VaeGradientTest {
  private static final int IN = 6;
  private static final int L = 3;

  /** {@code x [N, IN] -> Dense(tanh) -> mean, logvar -> z = mean + exp(lv/2) noise -> Dense(IN) -> BCE(sigmoid)}, KL on [mean|lv]. */
  private static ComputationGraph graph() {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("x", "noise")
        .setInputTypes(InputType.feedForward(IN), InputType.feedForward(L))
        .addLayer("h", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "x")
        .addLayer("mean", new DenseLayer.Builder().nOut(L).activation(Activation.IDENTITY).build(), "h")
        .addLayer("logvar", new DenseLayer.Builder().nOut(L).activation(Activation.IDENTITY).build(), "h")
        .addVertex("z", new GaussianSample(), "mean", "logvar", "noise")
        .addLayer("dec", new DenseLayer.Builder().nOut(IN).activation(Activation.IDENTITY).build(), "z")
        .addLayer("sigmoid", new ActivationLayer.Builder().activation(Activation.SIGMOID).build(), "dec")
        .addLayer("reconstruction", new LossLayer.Builder(new LossBinaryXENT()).activation(Activation.IDENTITY).build(), "sigmoid")
        .addVertex("moments", new MergeVertex(), "mean", "logvar")
        .addLayer("kl", new LossLayer.Builder(new GaussianKl()).activation(Activation.IDENTITY).build(), "moments")
        .setOutputs("reconstruction", "kl")
        .build();
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed, "JSON round trip");
    ComputationGraph g = new ComputationGraph(parsed);
    g.init();
    return g;
  }

  private static INDArray uniform(SplittableRandom rng, int rows, int cols, double lo, double hi) {
    double[][] a = new double[rows][cols];
    for (double[] r : a) {
      for (int j = 0; j < cols; j++) {
        r[j] = lo + (hi - lo) * rng.nextDouble();
      }
    }
    return Nd4j.createFromArray(a);
  }

  private static INDArray gaussian(SplittableRandom rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] r : a) {
      for (int j = 0; j < cols; j++) {
        r[j] = rng.nextGaussian();
      }
    }
    return Nd4j.createFromArray(a);
  }

  @ParameterizedTest(name = "KL weight {0}")
  @ValueSource(doubles = {0.0, 0.3, 1.0, 4.0})
  void gradientsMatchNumerical(double weight) {
    ComputationGraph g = graph();
    SplittableRandom rng = new SplittableRandom(11);
    int n = 4;
    INDArray x = uniform(rng, n, IN, 0.05, 0.95);
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(g)
        .inputs(new INDArray[] {x, gaussian(rng, n, L)})
        .labels(new INDArray[] {x, Nd4j.valueArrayOf(new long[] {n, 1}, weight, DataType.DOUBLE)})
        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    assertTrue(ok, "gradient check failed for KL weight " + weight);
  }

  /**
   * The graph's score is the negative ELBO per example: {@code -sum_j [x log p + (1-x) log(1-p)]} with
   * {@code p = sigmoid(dec(mean + exp(lv/2) eps))}, plus {@code 1/2 sum (exp(lv) + mean^2 - 1 - lv)}, averaged over the
   * batch; computed here from the graph's own layer activations with the formulas of Kingma and Welling (2014).
   */
  @Test
  void scoreIsTheNegativeElbo() {
    ComputationGraph g = graph();
    SplittableRandom rng = new SplittableRandom(5);
    int n = 3;
    INDArray x = uniform(rng, n, IN, 0, 1);
    INDArray eps = gaussian(rng, n, L);
    var acts = g.feedForward(new INDArray[] {x, eps}, false);
    double[][] mu = acts.get("mean").toDoubleMatrix();
    double[][] lv = acts.get("logvar").toDoubleMatrix();
    double[][] z = acts.get("z").toDoubleMatrix();
    double[][] p = acts.get("reconstruction").toDoubleMatrix();
    double[][] xs = x.toDoubleMatrix();
    double[][] e = eps.toDoubleMatrix();
    double total = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < L; j++) {
        assertEquals(mu[i][j] + Math.exp(lv[i][j] / 2) * e[i][j], z[i][j], 1e-12, "reparameterised sample");
        total += 0.5 * (Math.exp(lv[i][j]) + mu[i][j] * mu[i][j] - 1 - lv[i][j]);
      }
      for (int j = 0; j < IN; j++) {
        total -= xs[i][j] * Math.log(p[i][j]) + (1 - xs[i][j]) * Math.log(1 - p[i][j]);
      }
    }
    g.setInputs(x, eps);
    g.setLabels(x, Nd4j.ones(DataType.DOUBLE, n, 1));
    g.computeGradientAndScore();
    assertEquals(total / n, g.score(), 1e-9);
    double inference = g.score(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x, eps},
        new INDArray[] {x, Nd4j.ones(DataType.DOUBLE, n, 1)}));
    assertEquals(inference, total / n, 1e-9, "a training step reports the inference-mode score: no layer overwrote its input");
  }

  @Test
  void klWarmupRisesLinearlyToBeta() {
    assertEquals(0.25, VaeSteps.weight(1.0, 4, 0), 0.0);
    assertEquals(1.0, VaeSteps.weight(1.0, 4, 3), 0.0);
    assertEquals(2.0, VaeSteps.weight(2.0, 4, 100), 0.0);
    assertEquals(0.5, VaeSteps.weight(0.5, 0, 0), 0.0, "no warm-up");
  }
}

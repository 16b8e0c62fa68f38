package io.pretext.model.method.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.loss.DoublePrecision;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The GAN's losses in double precision: {@link LogitBce} against its closed form (also where a sigmoid would overflow),
 * and DL4J's gradient check (epsilon 1e-6, max relative error 1e-5) on a small graph with it, on the discriminator's
 * graph (small-cnn, real and generated targets) and on the generator's graph ({@code -log D(G(z))} through the
 * discriminator's batch norm in training mode and its first convolution made ordinary).
 */
@ExtendWith(DoublePrecision.class)
class GanGradientTest {

  private static boolean check(ComputationGraph g, INDArray[] inputs, INDArray[] labels) {
    return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(inputs).labels(labels)
        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
  }

  @Test
  void logitCrossEntropyIsItsClosedFormAndStaysFinite() {
    double[] x = {-800, -30, -2.5, -1e-3, 0, 0.7, 4, 45, 900};
    double[] y = {1, 0, 1, 0.3, 1, 0, 1, 0, 1};
    INDArray logits = Nd4j.createFromArray(x).reshape(x.length, 1);
    INDArray targets = Nd4j.createFromArray(y).reshape(y.length, 1);
    LogitBce loss = new LogitBce();
    double[] scores = loss.computeScoreArray(targets, logits, new ActivationIdentity(), null).data().asDouble();
    double[] grads = loss.computeGradient(targets, logits, new ActivationIdentity(), null).data().asDouble();
    for (int i = 0; i < x.length; i++) {
      // -(y log s + (1 - y) log(1 - s)) with log s = -log(1 + e^-x), log(1 - s) = -x - log(1 + e^-x), in a form exact at large |x|
      double logS = x[i] >= 0 ? -Math.log1p(Math.exp(-x[i])) : x[i] - Math.log1p(Math.exp(x[i]));
      double log1mS = x[i] >= 0 ? -x[i] - Math.log1p(Math.exp(-x[i])) : -Math.log1p(Math.exp(x[i]));
      double expected = -(y[i] * logS + (1 - y[i]) * log1mS);
      assertEquals(expected, scores[i], 1e-12 * Math.max(1, Math.abs(expected)), "loss at x = " + x[i]);
      assertEquals(1 / (1 + Math.exp(-x[i])) - y[i], grads[i], 1e-12, "gradient at x = " + x[i]);
    }
    assertEquals(java.util.Arrays.stream(scores).sum() / x.length, loss.computeScore(targets, logits, new ActivationIdentity(), null, true),
        1e-9);
  }

  @Test
  void gradientsOfTheLossInASmallGraphMatchNumerical() {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
        .weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("x").setInputTypes(InputType.feedForward(5))
        .addLayer("h", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "x")
        .addLayer("logit", new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build(), "h")
        .addLayer("loss", new LossLayer.Builder(new LogitBce()).activation(Activation.IDENTITY).build(), "logit")
        .setOutputs("loss").build();
    ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, parsed, "JSON round trip");
    ComputationGraph g = new ComputationGraph(parsed);
    g.init();
    SplittableRandom rng = new SplittableRandom(2);
    double[][] x = new double[6][5];
    for (double[] r : x) {
      for (int j = 0; j < r.length; j++) {
        r[j] = 2 * rng.nextGaussian();
      }
    }
    INDArray targets = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {0}, {0.25}, {1}});
    assertTrue(check(g, new INDArray[] {Nd4j.createFromArray(x)}, new INDArray[] {targets}));
  }

  /**
   * DL4J's graph check has no subset mode in 1.0.0-M2.1, and small-cnn holds ~100k parameters: this checks 8 entries
   * of every parameter array (batch norm's running statistics, updated by their "gradients", excepted) by central
   * differences of the training-mode score, with DL4J's epsilon and error bounds.
   */
  private static void sampledCheck(ComputationGraph g, INDArray[] inputs, INDArray[] labels, int parameterLayers) {
    g.setInputs(inputs);
    g.setLabels(labels);
    g.computeGradientAndScore();
    long batch = inputs[0].size(0); // DL4J's graph gradients are sums over the batch, its score the mean
    org.nd4j.linalg.dataset.MultiDataSet data = new org.nd4j.linalg.dataset.MultiDataSet(inputs, labels);
    int checked = 0;
    for (org.deeplearning4j.nn.api.Layer layer : g.getLayers()) {
      if (layer.numParams() == 0) {
        continue;
      }
      INDArray p = layer.params(); // a row-vector view of the graph's parameters
      INDArray a = layer.getGradientsViewArray().dup();
      boolean batchNorm = layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization;
      long n = batchNorm ? p.length() / 2 : p.length(); // gamma, beta; then the running mean and variance
      for (int k = 0; k < 8; k++) {
        long i = k * (n - 1) / 7;
        double v = p.getDouble(i);
        p.putScalar(i, v + 1e-6);
        double plus = g.score(data, true);
        p.putScalar(i, v - 1e-6);
        double minus = g.score(data, true);
        p.putScalar(i, v);
        double numeric = (plus - minus) / 2e-6;
        double exact = a.getDouble(i) / batch;
        double rel = Math.abs(numeric - exact) / Math.max(1e-300, Math.abs(numeric) + Math.abs(exact));
        assertTrue(rel < 1e-5 || Math.abs(numeric - exact) < 1e-8,
            layer.conf().getLayer().getLayerName() + "[" + i + "]: analytic " + exact + ", numeric " + numeric);
        checked++;
      }
    }
    assertEquals(8 * parameterLayers, checked, "entries checked");
  }

  @Test
  void theDiscriminatorsGradientsMatchNumerical() {
    Gan gan = new Gan(new GanConfig(4, 1e-3, io.pretext.model.decoder.ConvDecoder.defaults()));
    ComputationGraph d = GanTest.discriminator(gan, DataType.DOUBLE);
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(8), new long[] {6, 1, 8, 8}).castTo(DataType.DOUBLE);
    INDArray targets = Nd4j.createFromArray(new double[][] {{1}, {1}, {1}, {0}, {0}, {0}});
    sampledCheck(d, new INDArray[] {x}, new INDArray[] {targets}, 7); // small-cnn: 3 convolutions, 3 batch norms; the logit
  }

  @Test
  void theGeneratorsGradientsThroughTheDiscriminatorMatchNumerical() {
    GanConfig config = new GanConfig(4, 1e-3, new io.pretext.model.decoder.ConvDecoder(java.util.List.of(4, 3)));
    Gan gan = new Gan(config);
    ComputationGraph d = GanTest.discriminator(gan, DataType.DOUBLE);
    GeneratorGraph g = GeneratorGraph.of(d, new io.pretext.model.InputShape(1, 8, 8), config, 5, 100, null);
    INDArray noise = Nd4j.randn(Nd4j.getRandomFactory().getNewRandomInstance(9), new long[] {4, 4}).castTo(DataType.DOUBLE);
    sampledCheck(g.graph(), new INDArray[] {noise}, new INDArray[] {Nd4j.ones(DataType.DOUBLE, 4, 1)}, 12); // + the generator's 3 and its 2 batch norms
  }
}

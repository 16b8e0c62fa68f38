package io.pretext.model.method.vae;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.GaussianNoise;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.ImageSampler;
import io.pretext.model.method.Representations;
import io.pretext.model.method.Reconstructor;
import io.pretext.model.optim.TrainingPreset;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * The variational autoencoder (Kingma and Welling 2014, "Auto-Encoding Variational Bayes"): the encoder's
 * representation gives the mean and log-variance of a Gaussian posterior over an {@code L}-wide latent code, a sample
 * of it (reparameterised, {@link GaussianSample}) is decoded back to the image, and the loss is the negative ELBO:
 * binary cross-entropy summed over the pixels (a Bernoulli likelihood on [0, 1] pixels, as the paper's MNIST
 * experiments) plus {@code beta} times the KL divergence from the standard normal prior ({@link GaussianKl}), its weight
 * warmed up from 0 over {@code --kl-warmup-epochs} (Bowman et al. 2016). With {@code beta = 1} after the warm-up the
 * training loss is the negative ELBO per image in nats.
 *
 * <p>Graph (inputs {@code input [N, C, H, W]} and {@code noise [N, L]}; outputs {@code reconstruction} and {@code kl}):
 * <pre>
 *   input -> encoder -> representation [N, R] -> mean Dense(L) [N, L], logvar Dense(L) [N, L]
 *   z = mean + exp(logvar / 2) * noise                                  [N, L]
 *   z -> decoder -> reconstruction LossLayer(binary cross-entropy, sigmoid) [N, C*H*W], labels the view flattened
 *   moments = [mean | logvar] [N, 2L] -> kl LossLayer(GaussianKl), labels [N, 1] the KL weight of the step
 * </pre>
 * The noise is drawn per record from the batch's noise stream (a pure function of seed, epoch and record), so runs are
 * deterministic; the KL weight is set per step on the workers ({@link VaeSteps}). The representation probed and
 * embedded is the encoder's, as for every method; the posterior mean is a linear map of it.
 *
 * <p>Why not DL4J's {@code VariationalAutoencoder} layer: it trains only through layer-wise pretraining
 * ({@code pretrainLayer}), which the worker loop does not call, it is a dense layer (no convolutional encoder or
 * decoder), and in a supervised fit it acts as a plain feed-forward layer from input to mean. This graph is ordinary
 * backpropagation, so parameter averaging, checkpoints and resume carry it like every other method.
 *
 * <p>Data: one clean view per record, as the autoencoder's.
 */
public final class Vae implements Reconstructor, ImageSampler {
  private static final long serialVersionUID = 1L;

  /** Method name. */
  public static final String NAME = "vae";
  /** The noise input. */
  public static final String NOISE = "noise";
  /** Layers and vertices. */
  public static final String MEAN = "mean";
  public static final String LOG_VARIANCE = "logvar";
  public static final String MOMENTS = "moments";
  public static final String SAMPLE = "z";
  public static final String RECONSTRUCTION = "reconstruction";
  public static final String KL = "kl";
  /** AdamW at 4e-3, weight decay 1e-4, 0.2 epoch of warm-up, 4 epochs. */
  public static final TrainingPreset TRAINING_PRESET = new TrainingPreset(4, 4e-3, 1e-4, 0.2);

  private final VaeConfig config;

  public Vae(VaeConfig config) {
    this.config = Objects.requireNonNull(config, "VAE config is null; use VaeConfig.defaults()");
  }

  public VaeConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TrainingPreset trainingPreset() {
    return TRAINING_PRESET;
  }

  @Override
  public int codeSize() {
    return config.latent();
  }

  @Override
  public String representationVertex() {
    return EncoderSpec.REPRESENTATION;
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    ImageGraphs.Start start = ImageGraphs.start(encoder, input, settings, "vae", representationVertex(),
        Map.of(NOISE, InputType.feedForward(config.latent())));
    ConvDecoder.check(start.shape(), "the VAE");
    GraphBuilder graph = start.graph();
    graph.addLayer(MEAN, dense(), representationVertex());
    graph.addLayer(LOG_VARIANCE, dense(), representationVertex());
    graph.addVertex(SAMPLE, new GaussianSample(), MEAN, LOG_VARIANCE, NOISE);
    config.decoder().addTo(graph, "", SAMPLE, start.shape(), RECONSTRUCTION, new LossBinaryXENT(), Activation.SIGMOID);
    graph.addVertex(MOMENTS, new MergeVertex(), MEAN, LOG_VARIANCE);
    graph.addLayer(KL, new LossLayer.Builder(new GaussianKl()).activation(Activation.IDENTITY).build(), MOMENTS);
    graph.setOutputs(RECONSTRUCTION, KL);
    return graph.build();
  }

  private DenseLayer dense() {
    return new DenseLayer.Builder().nOut(config.latent()).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build();
  }

  /** Features: the view and each record's noise {@code [N, L]}; labels: the view flattened and the KL weight (beta). */
  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray views = batch.requireViews(1, "VAE");
    INDArray noise = GaussianNoise.of(batch.requireStreams("the VAE"), config.latent()).castTo(views.dataType());
    INDArray weight = Nd4j.valueArrayOf(new long[] {views.size(0), 1}, config.beta(), views.dataType());
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {views, noise}, new INDArray[] {ConvDecoder.flatten(views), weight});
  }

  /** The KL warm-up over {@code --kl-warmup-epochs} of the run's steps. */
  @Override
  public WorkerSteps workerSteps(Serializable fromDriver, RunPlan plan) {
    long perEpoch = (long) plan.roundsPerEpoch() * plan.batchesPerWorker();
    return new VaeSteps(config.beta(), Math.round(config.klWarmupEpochs() * perEpoch));
  }

  /** The decoded posterior mean (noise 0). */
  @Override
  public INDArray reconstruct(ComputationGraph graph, INDArray images) {
    INDArray zero = Nd4j.zeros(images.dataType(), images.size(0), config.latent());
    INDArray out = graph.output(false, images, zero)[0];
    return ConvDecoder.unflatten(out, InputShape.ofBatch(images));
  }

  /** Squared error of the decoded mean; negative ELBO (KL weight 1) with one noise sample per image. */
  @Override
  public Map<String, Double> heldOutSums(ComputationGraph graph, INDArray images, long seed) {
    INDArray noise = GaussianNoise.of(GaussianNoise.streams((int) images.size(0), seed), config.latent()).castTo(images.dataType());
    INDArray[] out = graph.output(false, images, noise);
    return Map.of("squaredError", squaredError(graph, images), "negativeElbo", negativeElbo(ConvDecoder.flatten(images), out[0], out[1]));
  }

  /**
   * {@code sum_n [ -sum_j (x log p + (1 - x) log(1 - p)) + 1/2 sum_l (exp(lv) + mu^2 - 1 - lv) ]}, with {@code p} clipped to
   * [1e-7, 1 - 1e-7]: the negative ELBO of {@code N} images from the graph's two outputs.
   *
   * @param x the images flattened {@code [N, P]}
   * @param p the reconstruction's Bernoulli means {@code [N, P]}
   * @param moments {@code [N, 2L]}, mean then log-variance
   */
  static double negativeElbo(INDArray x, INDArray p, INDArray moments) {
    double[] xs = x.dup('c').data().asDouble();
    double[] ps = p.dup('c').data().asDouble();
    double sum = 0;
    for (int i = 0; i < xs.length; i++) {
      double q = Math.min(1 - 1e-7, Math.max(1e-7, ps[i]));
      sum -= xs[i] * Math.log(q) + (1 - xs[i]) * Math.log(1 - q);
    }
    double[] m = moments.dup('c').data().asDouble();
    int width = (int) moments.size(1);
    int l = width / 2;
    for (int r = 0; r < moments.size(0); r++) {
      for (int j = 0; j < l; j++) {
        double mu = m[r * width + j];
        double lv = m[r * width + l + j];
        sum += 0.5 * (Math.exp(lv) + mu * mu - 1 - lv);
      }
    }
    return sum;
  }


  /** The posterior mean (the noise input does not reach it). */
  @Override
  public INDArray encode(ComputationGraph graph, INDArray images) {
    return Representations.of(graph, MEAN, new INDArray[] {images, Nd4j.zeros(images.dataType(), images.size(0), config.latent())});
  }

  /** Through a decoder-only copy of the graph's decoder. */
  @Override
  public INDArray decode(ComputationGraph graph, INDArray codes) {
    return config.decoder().standalone(graph, RECONSTRUCTION, config.latent()).outputSingle(false, codes.castTo(graph.params().dataType()));
  }

  /** Decodes {@code count} codes drawn from the standard normal prior. The VAE keeps no state, so {@code state} is empty. */
  @Override
  public INDArray sample(ComputationGraph graph, byte[] state, int count, long seed) {
    return decode(graph, GaussianNoise.of(GaussianNoise.streams(count, seed), config.latent()));
  }

  @Override
  public String toString() {
    return "Vae(" + config + ")";
  }
}

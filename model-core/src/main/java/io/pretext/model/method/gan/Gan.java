package io.pretext.model.method.gan;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.GaussianNoise;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.ImageSampler;
import io.pretext.model.method.MethodState;
import io.pretext.model.optim.TrainingPreset;
import java.io.Serializable;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A GAN in DCGAN's shape (Goodfellow et al. 2014, "Generative Adversarial Nets"; Radford et al. 2016, "Unsupervised
 * Representation Learning with Deep Convolutional Generative Adversarial Networks"), whose discriminator is the encoder:
 * Radford et al. classified images with the discriminator's features, and so the representation probed and embedded
 * is the encoder's, as for every method.
 *
 * <p>Two networks, each with its own optimiser, updated alternately on every minibatch:
 * <pre>
 *   discriminator (the run's graph):  input [2N, C, H, W] -> encoder -> representation [2N, R] -> gan_logit Dense(1) [2N, 1]
 *                                     -> LossLayer(LogitBce), targets 1 for the N real images, 0 for the N generated ones
 *   generator (GeneratorGraph):        noise [N, Z] -> ConvDecoder (Dense, BN, two 4x4 stride-2 transposed convolutions) -> sigmoid
 *                                     -> image [N, C, H, W]; trained on -log D(G(z)) (the non-saturating loss)
 * </pre>
 * The discriminator is the run's network: the trainer steps, averages, checkpoints and resumes it like any method's.
 * The generator is the method's state ({@link GeneratorState}): broadcast each round, trained on the workers after each
 * discriminator step ({@link GanSteps}), averaged by the driver with its Adam moments, checkpointed with the run. Both
 * players use Adam with {@code beta1} {@value GanConfig#BETA1} (DCGAN); the discriminator's learning rate is the run's
 * {@code --lr}, the generator's {@code --generator-lr}, both on the run's cosine schedule. The generator is the shared
 * {@link ConvDecoder} with DCGAN's batch norm; the discriminator normalises the real and generated images of a step as
 * one batch. The noise comes from the records' streams, so runs are deterministic. Options: {@link GanOptions}.
 */
public final class Gan implements ImageSampler {
  private static final long serialVersionUID = 1L;

  /** Method name. */
  public static final String NAME = "gan";
  /** The discriminator's logit. */
  public static final String LOGIT = "gan_logit";
  /** Name of the loss layer (the graph's only output). */
  public static final String LOSS = "loss";

  /**
   * The discriminator's optimiser: Adam 1e-4 (half DCGAN's), no weight decay, no warm-up, the run's cosine schedule, 5
   * epochs. At DCGAN's 2e-4 for both players the discriminator's loss fell to 0.01-0.04 within the first epoch and
   * stayed there; 1e-4 against the generator's 1e-3 kept it near 0.2 (docs/methods.md).
   */
  public static final TrainingPreset TRAINING_PRESET = new TrainingPreset(5, 1e-4, 0, 0);

  private final GanConfig config;

  public Gan(GanConfig config) {
    this.config = Objects.requireNonNull(config, "GAN config is null; use GanConfig.defaults()");
  }

  public GanConfig config() {
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
  public String representationVertex() {
    return EncoderSpec.REPRESENTATION;
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    ImageGraphs.Start start = ImageGraphs.start(encoder, input, settings, "gan", representationVertex());
    ConvDecoder.check(start.shape(), "the GAN's generator");
    GraphBuilder graph = start.graph();
    graph.addLayer(LOGIT, new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(),
        representationVertex());
    graph.addLayer(LOSS, new LossLayer.Builder(new LogitBce()).activation(Activation.IDENTITY).build(), LOGIT);
    graph.setOutputs(LOSS);
    ComputationGraphConfiguration conf = graph.build();
    for (GraphVertex v : conf.getVertices().values()) { // DCGAN's beta1 for the discriminator too, on the run's schedule
      if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer && layer.getIUpdater() instanceof Adam adam) {
        Adam d = (Adam) adam.clone();
        d.setBeta1(GanConfig.BETA1);
        layer.setIUpdater(d);
      }
    }
    return conf;
  }

  /**
   * The real views, each record's generator noise {@code [N, Z]} as a second feature (the worker turns both into the
   * discriminator's minibatch before the step, {@link GanSteps}), targets 1.
   */
  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray views = batch.requireViews(1, "the GAN");
    INDArray noise = GaussianNoise.of(batch.requireStreams("the GAN"), config.noiseDim()).castTo(views.dataType());
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {views, noise},
        new INDArray[] {Nd4j.ones(views.dataType(), views.size(0), 1)});
  }

  @Override
  public MethodState newState(RunPlan plan) {
    return new GeneratorState();
  }

  @Override
  public WorkerSteps workerSteps(Serializable fromDriver, RunPlan plan) {
    if (fromDriver != null && !(fromDriver instanceof GeneratorState.Snapshot)) {
      throw new IllegalStateException("the GAN's workers need the driver's generator, got " + fromDriver);
    }
    return new GanSteps(config, plan, (GeneratorState.Snapshot) fromDriver);
  }

  /** Images from the checkpoint's generator, on noise drawn from {@code seed}. */
  @Override
  public INDArray sample(ComputationGraph graph, byte[] state, int count, long seed) {
    if (state.length == 0) {
      throw new IllegalArgumentException("the checkpoint holds no generator: it was written before the GAN's first round ended");
    }
    DataType type = graph.params().dataType();
    ComputationGraph generator = GeneratorGraph.standalone(config, GeneratorState.read(state), type);
    INDArray noise = GaussianNoise.of(GaussianNoise.streams(count, seed), config.noiseDim()).castTo(type);
    return generator.outputSingle(false, noise);
  }

  @Override
  public String toString() {
    return "Gan(" + config + ")";
  }
}

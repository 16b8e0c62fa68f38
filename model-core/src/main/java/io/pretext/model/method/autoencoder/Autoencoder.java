package io.pretext.model.method.autoencoder;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.Reconstructor;
import io.pretext.model.method.Representations;
import io.pretext.model.optim.TrainingPreset;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * An autoencoder (Hinton and Salakhutdinov 2006), optionally denoising (Vincent et al. 2008): the encoder's
 * representation is squeezed to a small code, a {@link ConvDecoder} reconstructs the image from it, and the loss is
 * the mean squared error over pixels in [0, 1] (sigmoid outputs), so that it compares directly with PCA's
 * reconstruction error at as many components as the code has.
 *
 * <p>Graph: {@code input [N, C, H, W] -> encoder -> representation [N, R] -> code Dense(D, identity) [N, D]
 * -> decoder -> reconstruction LossLayer(MSE, sigmoid) [N, C*H*W]}; labels the clean view flattened. The
 * representation probed and embedded is the encoder's (as for every method), not the code.
 *
 * <p>Data: one view per record, clean (crop scale 1, which keeps the whole image, and a horizontal flip; no colour
 * jitter). With {@code --denoise} the input is that view {@link Corruption corrupted} from the record's noise stream,
 * made in the executors with the batch, and the target the clean view.
 */
public final class Autoencoder implements Reconstructor {
  private static final long serialVersionUID = 1L;

  /** Method name. */
  public static final String NAME = "autoencoder";
  /** The code layer. */
  public static final String CODE = "code";
  /** The output (loss) layer: the reconstruction, flattened. */
  public static final String RECONSTRUCTION = "reconstruction";
  /**
   * AdamW at 4e-3, weight decay 1e-4, 0.2 epoch of warm-up, 10 epochs: at 4 epochs the test error (0.0184 per pixel)
   * was above PCA's with 32 components (0.0151), at 10 it is below (0.0144; docs/methods.md).
   */
  public static final TrainingPreset TRAINING_PRESET = new TrainingPreset(10, 4e-3, 1e-4, 0.2);

  private final AutoencoderConfig config;

  public Autoencoder(AutoencoderConfig config) {
    this.config = Objects.requireNonNull(config, "autoencoder config is null; use AutoencoderConfig.defaults()");
  }

  public AutoencoderConfig config() {
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
    return config.codeDim();
  }

  @Override
  public String representationVertex() {
    return EncoderSpec.REPRESENTATION;
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    ImageGraphs.Start start = ImageGraphs.start(encoder, input, settings, "autoencoder", representationVertex());
    ConvDecoder.check(start.shape(), "the autoencoder");
    GraphBuilder graph = start.graph();
    graph.addLayer(CODE, new DenseLayer.Builder().nOut(config.codeDim()).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER).build(), representationVertex());
    config.decoder().addTo(graph, "", CODE, start.shape(), RECONSTRUCTION, new LossMSE(), Activation.SIGMOID);
    graph.setOutputs(RECONSTRUCTION);
    return graph.build();
  }

  /** Input: the view, corrupted with {@code --denoise}; labels: the clean view {@code [N, C*H*W]}. */
  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray clean = batch.requireViews(1, "autoencoder");
    INDArray input = config.corruption().active() ? config.corruption().apply(clean, batch.requireStreams("the denoising autoencoder"))
        : clean;
    return new org.nd4j.linalg.dataset.MultiDataSet(input, ConvDecoder.flatten(clean));
  }

  @Override
  public INDArray reconstruct(ComputationGraph graph, INDArray images) {
    INDArray out = graph.outputSingle(false, images);
    return ConvDecoder.unflatten(out, InputShape.ofBatch(images));
  }

  /** The code layer's activations. */
  @Override
  public INDArray encode(ComputationGraph graph, INDArray images) {
    return Representations.of(graph, CODE, images);
  }

  @Override
  public INDArray decode(ComputationGraph graph, INDArray codes) {
    return config.decoder().standalone(graph, RECONSTRUCTION, config.codeDim()).outputSingle(false, codes.castTo(graph.params().dataType()));
  }

  @Override
  public Map<String, Double> heldOutSums(ComputationGraph graph, INDArray images, long seed) {
    return Map.of("squaredError", squaredError(graph, images));
  }

  @Override
  public String toString() {
    return "Autoencoder(" + config + ")";
  }
}

package io.pretext.model.method.finetune;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.method.Classifier;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.ViewDefaults;
import io.pretext.model.optim.TrainingPreset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Supervised fine-tuning of a pretrained encoder on labelled images: the encoder (weights copied from a pretraining run
 * by {@code pretext finetune}, or random with {@code --from-scratch}), a fresh linear classifier and softmax
 * cross-entropy against the dataset's labels. It is not self-supervised, but it trains through the same method seam and
 * the same distributed trainer as pretraining (parameter averaging, checkpoints, resume, metrics), which is why it lives
 * here as one method package; {@code pretext pretrain} refuses it ({@link FineTuneProvider#pretrains()}).
 *
 * <p>Graph: {@code input [N, C, H, W] -> encoder -> representation [N, R] -> classifier Dense(K) [N, K]
 * -> LossLayer(SparseSoftmaxCrossEntropy)}, labels {@code [N, 1]} the records' classes, read from the dataset's
 * {@code label} column ({@link #labelsFromDataset()}). One view per record: a random resized crop of scale [0.8, 1]
 * and a horizontal flip half the time, the light augmentation of supervised training, the same for every fine-tuning.
 *
 * <p>Discriminative learning rates (Howard and Ruder 2018, ULMFiT; {@link ClassifierHead}): the encoder's layers train
 * with the run's schedule scaled by {@code --encoder-lr-scale}, the head with the run's own. Frozen blocks ({@code --freeze-layers N}, or the
 * whole encoder with {@code --frozen-encoder}) become DL4J frozen vertices: no gradient, no update, and no
 * backward pass below the lowest trained layer; their batch norms normalise with the pretrained running statistics in
 * training as in inference (a frozen backbone in PyTorch's eval mode), so the layers above train on the features they
 * will see.
 */
public final class FineTune implements MultiViewMethod, Classifier {
  private static final long serialVersionUID = 1L;

  /** Method name, as run.json records it. */
  public static final String NAME = "finetune";
  /** The classifier layer, fresh for the labels' classes. */
  public static final String CLASSIFIER = ClassifierHead.CLASSIFIER;
  /** One view: crop scale [0.8, 1], flip; no colour jitter, blur or solarization. */
  public static final ViewDefaults VIEWS = new ViewDefaults(1, List.of(0.8), List.of(0.0), List.of(0.0), List.of(0.0), List.of(0.0));

  /**
   * AdamW at 3e-3 (the encoder at {@code --encoder-lr-scale} of it), weight decay 1e-4, one epoch of warm-up,
   * then cosine; {@code pretext finetune} chooses the epochs from the labelled subset's size when {@code --epochs} is
   * not given (docs/finetune.md).
   */
  public static final TrainingPreset TRAINING_PRESET = new TrainingPreset(10, 3e-3, 1e-4, 1.0);

  private final FineTuneConfig config;

  public FineTune(FineTuneConfig config) {
    this.config = Objects.requireNonNull(config, "FineTune config is null; use FineTuneConfig.of(classes)");
  }

  public FineTuneConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int views() {
    return 1;
  }

  @Override
  public ViewDefaults viewDefaults() {
    return VIEWS;
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
  public int classes() {
    return config.classes();
  }

  @Override
  public String logitsVertex() {
    return CLASSIFIER;
  }

  /** The batches carry every record's class from the dataset's {@code label} column. */
  @Override
  public boolean labelsFromDataset() {
    return true;
  }

  /**
   * @throws IllegalArgumentException if {@code --freeze-layers} names more blocks than the encoder has
   */
  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    GraphBuilder graph = ImageGraphs.start(encoder, input, settings, NAME, representationVertex()).graph();
    return ClassifierHead.finish(graph, new ArrayList<>(graph.getVertices().keySet()), encoder, config, settings);
  }

  /** The view and the records' classes as labels {@code [N, 1]}. */
  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray views = batch.requireViews(1, "fine-tuning");
    String[] ids = batch.ids();
    INDArray labels = ClassifierHead.labels(batch.requireLabels("fine-tuning"), config.classes(), "fine-tuning", i -> "record " + ids[i]);
    return new org.nd4j.linalg.dataset.MultiDataSet(views, labels.castTo(views.dataType()));
  }


  @Override
  public String toString() {
    return "FineTune(" + config + ")";
  }
}

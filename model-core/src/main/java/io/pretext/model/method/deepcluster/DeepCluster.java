package io.pretext.model.method.deepcluster;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.loss.SparseSoftmaxCrossEntropy;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.ViewDefaults;
import io.pretext.model.optim.TrainingPreset;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DeepCluster (Caron et al. 2018, "Deep Clustering for Unsupervised Learning of Visual Features"): before every epoch
 * the corpus's representations under the current encoder are clustered, and the epoch trains the encoder to predict
 * each image's cluster.
 *
 * <p>Per epoch ({@link ClusterAssignments#onEpochStart}, on the run's executors through the
 * {@link io.pretext.model.lifecycle.MethodContext}): embed every record (unaugmented, inference mode), PCA to
 * {@code --pca-dim}, whiten (each component divided by its standard deviation), L2-normalise, k-means with
 * {@code --clusters} (seeded by run and epoch), re-seed every empty cluster by splitting a non-empty one (faiss's rule,
 * which the paper's code uses: the donor drawn with probability proportional to its size minus one, the two centroids
 * perturbed by {@code +-1/1024} alternately per coordinate), write the assignment as the epoch's per-record table
 * (label = cluster, weight = {@code N / (nonEmpty x |cluster|)}, so that the epoch's sample is uniform over clusters),
 * re-initialise the classifier, and log NMI against the previous epoch's assignment (and against the
 * {@code --monitor} dataset's labels, for monitoring only) with the time each part took.
 *
 * <p>Graph: {@code input [N, C, H, W] -> encoder -> representation [N, R] -> classifier Dense(k) [N, k]
 * -> LossLayer(SparseSoftmaxCrossEntropy)}, labels {@code [N, 1]} the records' clusters from the batch. One view per
 * record (the standard recipe's crop, flip and jitter), the paper's data augmentation for training; clustering uses
 * the unaugmented images.
 */
public final class DeepCluster implements MultiViewMethod {
  private static final long serialVersionUID = 1L;

  /** Method name. */
  public static final String NAME = "deepcluster";
  /** The classifier layer, re-initialised every epoch. */
  public static final String CLASSIFIER = "classifier";
  /** The loss layer. */
  public static final String LOSS = "loss";
  /** One view of the standard recipe. */
  public static final ViewDefaults VIEWS = ViewDefaults.TWO_VIEWS.withViews(1);

  /**
   * 5 epochs of AdamW at peak 1.6e-2 (twice SimCLR's), weight decay 1e-4, half an epoch of warm-up: the PyTorch
   * reference's probe rose with the learning rate from 1e-3 to 3.2e-2 and gained little from 10 epochs over 5
   * (docs/methods.md); at this recipe the demo reached 0.8560 / 0.8092.
   */
  public static final TrainingPreset TRAINING_PRESET = new TrainingPreset(5, 1.6e-2, 1e-4, 0.5);

  private final DeepClusterConfig config;

  public DeepCluster(DeepClusterConfig config) {
    this.config = Objects.requireNonNull(config, "DeepCluster config is null; use DeepClusterConfig.defaults()");
  }

  public DeepClusterConfig config() {
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

  /** @throws IllegalArgumentException if there are more clusters than records */
  @Override
  public void check(RunPlan plan) {
    if (config.clusters() > plan.records()) {
      throw new IllegalArgumentException("invalid value for --clusters: '" + config.clusters() + "' (allowed: 2.." + plan.records()
          + ", at most the records of --data)");
    }
  }

  /** The pseudo-labels are joined to the records by id. */
  @Override
  public boolean needsRecordKeys() {
    return true;
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    GraphBuilder graph = ImageGraphs.start(encoder, input, settings, "DeepCluster", representationVertex()).graph();
    graph.addLayer(CLASSIFIER, new DenseLayer.Builder().nOut(config.clusters()).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER_UNIFORM).build(), representationVertex());
    graph.addLayer(LOSS, new LossLayer.Builder(new SparseSoftmaxCrossEntropy()).activation(Activation.IDENTITY).build(), CLASSIFIER);
    graph.setOutputs(LOSS);
    return graph.build();
  }

  /** The view and the records' clusters as labels {@code [N, 1]}. */
  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray views = batch.requireViews(1, "DeepCluster");
    int[] labels = batch.requireLabels("DeepCluster");
    float[] column = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= config.clusters()) {
        throw new IllegalArgumentException("DeepCluster: record " + batch.ids()[i] + " has pseudo-label " + labels[i] + ", outside 0.."
            + (config.clusters() - 1));
      }
      column[i] = labels[i];
    }
    return new org.nd4j.linalg.dataset.MultiDataSet(views, Nd4j.create(column, new long[] {labels.length, 1}, 'c').castTo(views.dataType()));
  }

  @Override
  public MethodState newState(RunPlan plan) {
    return new ClusterAssignments(this, plan);
  }

  @Override
  public String toString() {
    return "DeepCluster(" + config + ")";
  }
}

package io.pretext.model.method.moco;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.EncoderOutput;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.layers.Capture;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.loss.SparseSoftmaxCrossEntropy;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.ViewDefaults;
import io.pretext.model.momentum.MomentumEncoder;
import io.pretext.model.optim.TrainingPreset;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MoCo v2 (He et al. 2020, "Momentum Contrast for Unsupervised Visual Representation Learning"; Chen et al. 2020,
 * "Improved Baselines with Momentum Contrastive Learning"): a query encoder with an MLP head learns to match a key,
 * computed by a momentum encoder from another view of the same image, against a queue of keys of earlier minibatches.
 *
 * <p>Graph ({@code V = 2} views of {@code N} images grouped by view, a queue of {@code K} keys of width {@code D}):
 * <pre>
 *   input [2N, C, H, W] -> encoder -> representation [2N, R] -> head -> proj_out [2N, D]          (query, trained)
 *   input -> key_encoder -> key_representation -> key_head -> key_proj_out [2N, D]     (key, frozen vertices, EMA)
 *   moco_keys = Capture(key_proj_out)                                        (the step's keys, for the queue)
 *   queue [K, D] (second input)
 *   moco_logits = InfoNceLogits(proj_out, moco_keys, queue) [2N, 1 + K] -> LossLayer(SparseSoftmaxCrossEntropy)
 * </pre>
 * with zero labels: the loss is symmetric, each view's query against the other view's key (the mean over the 2N rows
 * of the two directions' InfoNCE, {@link InfoNceLogits}). The key encoder is a {@link MomentumEncoder} under the prefix
 * {@value #KEY}, a copy of the query encoder at the start, updated after every optimiser step by
 * {@code key <- m key + (1 - m) query} ({@link MocoSteps}).
 *
 * <p>Batch norm for the keys, split: the key encoder normalises its 2N rows in {@code --bn-splits} contiguous groups,
 * each with its own statistics ({@link MomentumEncoder#splitBatchNorm}); the query encoder uses the whole batch. MoCo
 * shuffles keys across GPUs before their batch norm because otherwise a query and its positive key are normalised with
 * statistics of the same images, which the model can exploit to find the positive among the queue's negatives (those
 * were normalised with other batches) instead of learning the images; a worker here is one process, so the split
 * plays the part of the GPUs. The minibatch's records are already in the epoch's random order, so a group is a random
 * subset, and no shuffle is needed on top of the split (docs/methods.md).
 *
 * <p>The queue is the method's {@link MethodState} ({@link KeyQueue}): broadcast every round, enqueued into by each
 * worker after each of its steps, merged by concatenation on the driver, checkpointed with the run. Options:
 * {@link MocoOptions}; views: {@link ViewDefaults#TWO_VIEWS}.
 */
public final class Moco implements MultiViewMethod {
  private static final long serialVersionUID = 1L;

  /** Method name. */
  public static final String NAME = "moco";
  /** Name prefix of the key encoder's vertices. */
  public static final String KEY = "key_";
  /** The graph's second input, the queue {@code [K, D]}. */
  public static final String QUEUE = "queue";
  /** The capture vertex holding the step's keys. */
  public static final String KEYS = "moco_keys";
  /** The logits vertex. */
  public static final String LOGITS = "moco_logits";
  /** Name of the loss layer (the graph's only output). */
  public static final String LOSS = "loss";

  /**
   * SimCLR's optimiser ({@link TrainingPreset#CONTRASTIVE}: AdamW 8e-3, weight decay 1e-4, 0.2 epoch of warm-up) for 8
   * epochs, as BYOL: with 4 the demo's probe ended at the raw pixels' (0.8440), with 8 above SimCLR's (0.8582;
   * docs/results.md).
   */
  public static final TrainingPreset TRAINING_PRESET = TrainingPreset.CONTRASTIVE.withEpochs(8);

  private final MocoConfig config;

  public Moco(MocoConfig config) {
    this.config = Objects.requireNonNull(config, "MoCo config is null; use MocoConfig.defaults()");
  }

  public MocoConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int views() {
    return 2;
  }

  @Override
  public ViewDefaults viewDefaults() {
    return ViewDefaults.TWO_VIEWS;
  }

  @Override
  public TrainingPreset trainingPreset() {
    return TRAINING_PRESET;
  }

  @Override
  public String representationVertex() {
    return EncoderSpec.REPRESENTATION;
  }

  /**
   * @throws IllegalArgumentException if the queue is smaller than the keys one step adds across workers, or the key
   *     batch of a worker cannot be split into {@code --bn-splits} equal groups
   */
  @Override
  public void check(RunPlan plan) {
    long perStep = 2 * plan.recordsPerStep();
    if (config.queueSize() < perStep) {
      throw new IllegalArgumentException("invalid value for --queue-size: '" + config.queueSize() + "' (allowed: at least the keys one"
          + " step adds, --workers x 2 views x --batch-size-per-worker = " + perStep + "; MoCo's queue holds many steps of keys)");
    }
    int rows = 2 * plan.recordsPerBatch();
    if (rows % config.bnSplits() != 0) {
      throw new IllegalArgumentException("invalid value for --bn-splits: '" + config.bnSplits() + "' (allowed: a divisor of the "
          + rows + " key rows of a worker's minibatch, 2 x --batch-size-per-worker)");
    }
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    ImageGraphs.Start start = ImageGraphs.start(encoder, input, settings, "MoCo", representationVertex(),
        Map.of(QUEUE, InputType.feedForward(config.keyDim())));
    GraphBuilder graph = start.graph();
    String projection = config.head().addTo(graph, "", start.representation());
    EncoderOutput key = encoder.addTo(graph, KEY, INPUT, start.shape());
    String keyProjection = config.head().addTo(graph, KEY, key.representationVertex());
    graph.addVertex(KEYS, new Capture(), keyProjection);
    graph.addVertex(LOGITS, new InfoNceLogits(config.temperature(), config.queueSize()), projection, KEYS, QUEUE);
    graph.addLayer(LOSS, new LossLayer.Builder(new SparseSoftmaxCrossEntropy()).activation(Activation.IDENTITY).build(), LOGITS);
    graph.setOutputs(LOSS);
    ComputationGraphConfiguration conf = graph.build();
    MomentumEncoder.freezeTwinOf(conf, KEY, projection);
    if (MomentumEncoder.splitBatchNorm(conf, KEY, config.bnSplits()) == 0 && config.bnSplits() > 1) {
      throw new IllegalArgumentException("invalid value for --bn-splits: '" + config.bnSplits() + "': encoder " + encoder.name()
          + " has no batch norm to split (allowed: 1)");
    }
    return conf;
  }

  /** {@link #configure}, initialisation, then the key encoder set to a copy of the query encoder, as MoCo starts. */
  @Override
  public ComputationGraph build(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    LayerHelpers.enableByDefault();
    ComputationGraph graph = new ComputationGraph(configure(encoder, input, settings));
    graph.init();
    MomentumEncoder.of(graph, KEY).copyOnline(graph);
    return graph;
  }

  /**
   * The views and zero labels {@code [2N, 1]} (the positive is column 0 of the logits); the queue, the graph's second
   * input, is added on the worker before each step ({@link MocoSteps}).
   */
  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray views = batch.requireViews(2, "MoCo");
    return new org.nd4j.linalg.dataset.MultiDataSet(views, Nd4j.zeros(views.dataType(), views.size(0), 1));
  }

  @Override
  public MethodState newState(RunPlan plan) {
    return new KeyQueue(config.queueSize(), config.keyDim(), plan.seed());
  }

  @Override
  public WorkerSteps workerSteps(Serializable fromDriver, RunPlan plan) {
    if (!(fromDriver instanceof KeyQueue.Snapshot queue)) {
      throw new IllegalStateException("MoCo's workers need the driver's queue, got " + fromDriver);
    }
    return new MocoSteps(queue, config.momentum());
  }

  @Override
  public String toString() {
    return "Moco(" + config + ")";
  }
}

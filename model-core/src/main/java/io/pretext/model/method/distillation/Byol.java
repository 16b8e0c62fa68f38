package io.pretext.model.method.distillation;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.EncoderOutput;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StepResult;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.loss.NtXentLoss;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.ViewDefaults;
import io.pretext.model.momentum.MomentumEncoder;
import io.pretext.model.optim.TrainingPreset;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * BYOL (Grill et al. 2020, "Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning"): an online network
 * (encoder, projector, predictor) learns to predict a target network's projection of another view of the same image;
 * the target (encoder, projector) is an exponential moving average of the online network. No negatives.
 *
 * <p>Graph ({@code V = 2} views of {@code N} images, grouped by view):
 * <pre>
 *   input [2N, C, H, W] -> encoder -> representation [2N, R] -> projector -> proj_out [2N, D] -> predictor
 *                       -> pred_out [2N, D]                                                     (online, trained)
 *   input -> target_encoder -> target_representation -> target_projector -> target_proj_out [2N, D]
 *                                                                                    (target, frozen vertices)
 *   merge(pred_out, target_proj_out) [2N, 2D] -> LossLayer(ByolLoss) "loss"
 * </pre>
 * The loss compares each view's prediction with the other view's target projection (see {@link ByolLoss}); its
 * gradient reaches only the online network. The target lives in the graph ({@link MomentumEncoder}): it has no updater
 * and no weight decay, its batch norm runs in training mode like the online network's, and it starts as a copy of the
 * online network ({@link #build}).
 *
 * <p>Under parameter averaging each worker applies the EMA after every one of its optimiser steps
 * ({@link #workerSteps}); the trainer then averages the targets with the other parameters. The EMA is linear, so with
 * averaging every minibatch the averaged target is exactly the EMA of the averaged online network, the same target
 * one worker training on the averaged update would hold; with averaging every {@code F} minibatches each worker's
 * target tracks its own online network between averagings, as its online network does. A checkpoint holds the target,
 * so a resumed run continues exactly.
 *
 * <p>Options: {@link ByolOptions}. Views ({@link #VIEWS}): SimCLR's two views with BYOL's asymmetric blur and
 * solarization (view 1 always blurred, view 2 rarely blurred and sometimes solarized, as in the paper's Table 6).
 */
public final class Byol implements MultiViewMethod {
  private static final long serialVersionUID = 1L;

  /** Method name. */
  public static final String NAME = "byol";
  /** Name of the loss layer (the graph's only output). */
  public static final String LOSS = "loss";
  /** Name of the projector's output vertex (online; the target's is {@code target_proj_out}). */
  public static final String PROJECTION = "proj_out";
  /** Name of the predictor's output vertex. */
  public static final String PREDICTION = "pred_out";

  /**
   * SimCLR's optimiser recipe for 8 epochs instead of 4: BYOL learns more slowly at a small budget (its target
   * network trails the online one by an EMA); on Fashion-MNIST 4 epochs stayed below the raw-pixel probe and 8
   * passed the README's PyTorch reference in about its training time (README, Results).
   */
  public static final TrainingPreset TRAINING_PRESET = TrainingPreset.CONTRASTIVE.withEpochs(8);

  /**
   * {@link ViewDefaults#TWO_VIEWS} plus BYOL's asymmetric views (Grill et al. 2020, Table 6): view 1 always blurred
   * and never solarized, view 2 blurred with probability 0.1 and solarized with probability 0.2.
   */
  public static final ViewDefaults VIEWS = ViewDefaults.TWO_VIEWS.withBlurAndSolarize(List.of(1.0, 0.1), List.of(0.0, 0.2));

  /** Name prefix of the target network's vertices (BYOL checkpoints since 0.1.0 use it). */
  public static final String TARGET = "target_";

  private final ByolConfig config;

  public Byol(ByolConfig config) {
    this.config = Objects.requireNonNull(config, "Byol config is null; use ByolConfig.defaults()");
  }

  public ByolConfig config() {
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
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    return configureWithTarget(encoder, input, settings).conf;
  }

  /** The configuration and the target network it freezes. */
  private record Configured(ComputationGraphConfiguration conf, MomentumEncoder target) {
  }

  private Configured configureWithTarget(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    ImageGraphs.Start start = ImageGraphs.start(encoder, input, settings, "BYOL", representationVertex());
    GraphBuilder graph = start.graph();
    String projection = config.projector().addTo(graph, "", start.representation(), "proj");
    String prediction = config.predictor().addTo(graph, "", projection, "pred");
    // The target twin, built by the same code under the prefix, frozen once the configuration is built.
    EncoderOutput target = encoder.addTo(graph, TARGET, INPUT, start.shape());
    String targetProjection = config.projector().addTo(graph, TARGET, target.representationVertex(), "proj");
    graph.addVertex("byol_pair", new MergeVertex(), prediction, targetProjection);
    graph.addLayer(LOSS, new LossLayer.Builder(new ByolLoss()).activation(Activation.IDENTITY).build(), "byol_pair");
    graph.setOutputs(LOSS);
    ComputationGraphConfiguration conf = graph.build();
    return new Configured(conf, MomentumEncoder.freezeTwinOf(conf, TARGET, projection));
  }

  /**
   * {@link #configure}, initialisation, then the target set to a copy of the online network, as the paper starts.
   */
  @Override
  public ComputationGraph build(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    LayerHelpers.enableByDefault();
    Configured c = configureWithTarget(encoder, input, settings);
    ComputationGraph graph = new ComputationGraph(c.conf);
    graph.init();
    c.target.copyOnline(graph);
    return graph;
  }

  /** The EMA of the target after every optimiser step, with {@link ByolConfig#tauAt} of the global step. */
  @Override
  public WorkerSteps workerSteps(Serializable fromDriver, RunPlan plan) {
    return new EmaUpdate(config, plan.totalIterations());
  }

  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray views = batch.requireViews(2, "BYOL");
    return new org.nd4j.linalg.dataset.MultiDataSet(views, NtXentLoss.labelsFor(views.size(0), views.dataType()));
  }

  @Override
  public String toString() {
    return "Byol(" + config + ")";
  }

  /** The per-step EMA; stateless. */
  static final class EmaUpdate implements WorkerSteps {
    private final ByolConfig config;
    private final long totalIterations;

    EmaUpdate(ByolConfig config, long totalIterations) {
      this.config = config;
      this.totalIterations = totalIterations;
    }

    @Override
    public void afterStep(ComputationGraph network, MultiDataSet batch, StepResult step) {
      long k = network.getConfiguration().getIterationCount();
      MomentumEncoder.of(network, TARGET).ema(network, config.tauAt(k, totalIterations));
    }
  }
}

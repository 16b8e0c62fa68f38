package io.pretext.model.method;

import io.pretext.model.DatasetKind;
import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.optim.TrainingPreset;
import java.io.Serializable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A self-supervised pretraining method (SimCLR, BYOL, MoCo v2, DeepCluster, autoencoder, VAE, masked-LM): the graph it
 * trains, how a minibatch of records becomes the tensors that graph fits, and what it does besides (the lifecycle of
 * {@link io.pretext.model.lifecycle}).
 *
 * <p>The training driver knows only this interface. What the data pipeline hands the method depends on its modality,
 * expressed by the sub-interface it implements: {@link MultiViewMethod} receives augmented image views (with record ids
 * and, when its state provides them, labels), {@link MaskedTokenMethod} masked token sequences. A batch factory in
 * data-prep serves each sub-interface, so a new method of an existing modality is one package (its graph, loss,
 * {@link MethodOptions}, state and worker steps) plus a {@link MethodProvider} registration, and touches no driver, CLI,
 * checkpoint or data-reading code.
 *
 * <p>State across steps: a method whose state is a function of the parameters keeps it in the graph (BYOL's target
 * and MoCo's key encoder are frozen vertices, so averaging, broadcasting and checkpoints carry them) and updates it in
 * its {@link #workerSteps} after every optimiser step. State that is not parameters (a queue of keys, cluster
 * assignments) lives in a {@link MethodState}.
 *
 * <p>Implementations are immutable, serialisable (they travel to the executors) and hold a validated configuration.
 */
public interface SslMethod extends Serializable {

  /** Name of the graph's (first) input. */
  String INPUT = "input";

  /** Registry name, e.g. {@code "simclr"}. */
  String name();

  /** The kind of dataset the method trains on; a dataset of another kind is refused before any Spark work. */
  DatasetKind dataKind();

  /**
   * The training graph's configuration: {@code encoder} on input {@link #INPUT} plus the method's heads and loss.
   *
   * @param encoder  backbone; its representation vertex becomes {@link #representationVertex()}
   * @param input    shape of one example, of kind {@link #dataKind()}
   * @param settings seed, data type (FLOAT, or DOUBLE for gradient checks) and optimiser
   * @throws IllegalArgumentException if the encoder or the input is of another kind
   */
  ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings);

  /**
   * {@link #configure} then {@code new ComputationGraph(conf).init()}, with DL4J's oneDNN layer helpers allowed
   * ({@link LayerHelpers#enableByDefault()}) so convolutions and batch norm run on oneDNN when libnd4j has it. Methods
   * whose graph needs more than random initialisation (BYOL's target starts as a copy of the online network) override
   * this.
   */
  default ComputationGraph build(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    LayerHelpers.enableByDefault();
    ComputationGraph graph = new ComputationGraph(configure(encoder, input, settings));
    graph.init();
    return graph;
  }

  /**
   * Rows of the first feature array of a minibatch per record (a minibatch of {@code N} records has
   * {@code N * examplesPerRecord()} rows): 1 for text, the number of views for image methods.
   */
  default int examplesPerRecord() {
    return 1;
  }

  /**
   * Whether every batch carries the records' labels from the dataset's {@code label} column (fine-tuning), rather than
   * from the state's record table or none: image batches in {@link io.pretext.model.batch.ImageBatch#labels()}, text
   * batches unmasked with {@link io.pretext.model.batch.TokenBatch#labels()}. The job checks first that every record has
   * one.
   */
  default boolean labelsFromDataset() {
    return false;
  }

  /** Name of the vertex whose activations {@code [N, repDim]} are the learned representation. */
  String representationVertex();

  /**
   * The epochs and optimiser settings the method trains with unless the command line gives them: by default the
   * recipe tuned for SimCLR ({@link TrainingPreset#CONTRASTIVE}).
   */
  default TrainingPreset trainingPreset() {
    return TrainingPreset.CONTRASTIVE;
  }

  /** The held-out monitor of {@code pretrain --monitor} for this method. */
  OnlineMonitor onlineMonitor();

  /**
   * Checks the method's options against the run, before anything is written.
   *
   * @throws IllegalArgumentException naming the option, the value, what is allowed and the fix (MoCo: a queue smaller
   *     than the keys of one step; DeepCluster: more clusters than records)
   */
  default void check(RunPlan plan) {
  }

  /**
   * Whether the method's state refers to records by id (a per-record table joined to the records, as DeepCluster's
   * pseudo-labels): the run then checks, before anything is written, that every record of the dataset has an id and
   * no two share one.
   */
  default boolean needsRecordKeys() {
    return false;
  }

  /** A fresh driver-side state for a new run; a resumed run then restores it from the checkpoint. */
  default MethodState newState(RunPlan plan) {
    return MethodState.NONE;
  }

  /**
   * The method's work around each optimiser step of one worker for one round, made on the worker.
   *
   * @param fromDriver what {@link MethodState#forWorkers()} returned for this round (null if nothing)
   * @param plan the run's plan (schedules over {@link RunPlan#totalIterations()})
   */
  default WorkerSteps workerSteps(Serializable fromDriver, RunPlan plan) {
    return WorkerSteps.NONE;
  }
}

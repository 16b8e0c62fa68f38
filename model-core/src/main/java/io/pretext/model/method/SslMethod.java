package io.pretext.model.method;

import io.pretext.model.DatasetKind;
import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.optim.TrainingPreset;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A self-supervised pretraining method (SimCLR, BYOL, masked-LM; MoCo, DeepCluster and autoencoders later): the
 * graph it trains, how a minibatch of records becomes the tensors that graph fits, and any state it keeps across
 * optimiser steps and rounds.
 *
 * <p>The training driver knows only this interface. What the data pipeline hands the method depends on its modality,
 * expressed by the sub-interface it implements: {@link MultiViewMethod} receives augmented image views,
 * {@link MaskedTokenMethod} masked token sequences. A batch factory in data-prep serves each sub-interface, so a new
 * method of an existing modality is one package (its graph, loss, {@link MethodOptions} and state) plus a
 * {@link MethodProvider} registration, and touches no driver, CLI, checkpoint or data-reading code.
 *
 * <p>State across steps: a method whose state is a function of the parameters keeps it in the graph (BYOL's target
 * network is a set of frozen vertices, so parameter averaging, broadcasting and checkpoints carry it) and updates it
 * from {@link #updateHook}, which runs on every worker after each optimiser step. State that is not parameters (a
 * queue of keys, cluster assignments) lives in a {@link MethodState} that the driver calls at epoch boundaries and
 * saves in every checkpoint.
 *
 * <p>Implementations are immutable, serialisable (they travel to the executors) and hold a validated configuration.
 */
public interface SslMethod extends java.io.Serializable {

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
   * {@code N * examplesPerRecord()} rows): 1 for text, the number of views for image methods. The distributed trainer
   * needs it to hand each worker the minibatches exactly as they were made.
   */
  default int examplesPerRecord() {
    return 1;
  }

  /** Name of the vertex whose activations {@code [N, repDim]} are the learned representation. */
  String representationVertex();

  /**
   * What runs on a worker after each of its optimiser steps (BYOL's exponential moving average of the target). It is
   * serialised to the executors once per run.
   *
   * @param totalIterations optimiser steps per worker in the whole run, for schedules such as BYOL's tau
   */
  default UpdateHook updateHook(long totalIterations) {
    return UpdateHook.NONE;
  }

  /**
   * The epochs and optimiser settings the method trains with unless the command line gives them: by default the
   * recipe tuned for SimCLR ({@link TrainingPreset#CONTRASTIVE}).
   */
  default TrainingPreset trainingPreset() {
    return TrainingPreset.CONTRASTIVE;
  }

  /** A fresh driver-side state for a new run; a resumed run restores it from the checkpoint. */
  default MethodState newState() {
    return MethodState.NONE;
  }
}

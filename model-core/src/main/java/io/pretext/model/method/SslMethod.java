package io.pretext.model.method;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.encoder.EncoderSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A self-supervised pretraining method (SimCLR, BYOL, MoCo, DeepCluster, masked-LM, ...).
 *
 * <p>The training loop is method-agnostic: for each batch of records it produces {@link #viewsPerRecord()} augmented
 * views per record, stacks them grouped by view ({@code [V*N, C, H, W]}: all first views, then all second views, ...),
 * calls {@link #trainingBatch(INDArray)} and fits the graph from {@link #build} on the result. Evaluation reads the
 * activations of {@link #representationVertex()} ({@link #represent}).
 *
 * <p>Implementations are immutable and hold a validated configuration.
 */
public interface SslMethod extends java.io.Serializable {

  /** Name of the graph input holding the views / images {@code [V*N, C, H, W]}. */
  String INPUT = "input";

  /** Method name, e.g. {@code "simclr"}. */
  String name();

  /** Number of augmented views the data pipeline must produce per record (2 for SimCLR). */
  int viewsPerRecord();

  /**
   * The training graph's configuration: {@code encoder} on input {@link #INPUT} plus the method's head and loss.
   *
   * @param encoder  backbone; its representation vertex becomes {@link #representationVertex()}
   * @param input    shape of one image
   * @param settings seed, data type (FLOAT, or DOUBLE for gradient checks) and optimiser
   */
  ComputationGraphConfiguration configure(EncoderSpec encoder, InputShape input, GraphSettings settings);

  /**
   * {@link #configure} then {@code new ComputationGraph(conf).init()}, with DL4J's oneDNN layer helpers allowed
   * ({@link LayerHelpers#enableByDefault()}) so convolutions and batch norm run on oneDNN when libnd4j has it.
   */
  default ComputationGraph build(EncoderSpec encoder, InputShape input, GraphSettings settings) {
    LayerHelpers.enableByDefault();
    ComputationGraph graph = new ComputationGraph(configure(encoder, input, settings));
    graph.init();
    return graph;
  }

  /** Name of the vertex whose activations {@code [N, repDim]} are the learned representation. */
  String representationVertex();

  /**
   * The DataSet the graph trains on for one batch of views.
   *
   * @param views {@code [V*N, C, H, W]} with {@code V = viewsPerRecord()}, grouped by view: rows
   *              {@code v*N .. (v+1)*N - 1} are view {@code v} of records {@code 0..N-1}
   * @return features (the views, possibly rearranged) and labels in the form the method's loss expects
   */
  DataSet trainingBatch(INDArray views);

  /**
   * Representations of {@code images} ({@code [N, C, H, W]}) from a graph built by this method, in inference mode
   * (BatchNorm uses running statistics).
   *
   * @return {@code [N, repDim]}
   */
  default INDArray represent(ComputationGraph graph, INDArray images) {
    return Representations.of(graph, representationVertex(), images);
  }
}

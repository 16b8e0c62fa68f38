package io.pretext.jobs.eval;

import io.pretext.model.backend.LayerHelpers;
import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A frozen network shipped to the executors as two broadcast values: its configuration as JSON and its flat parameter
 * vector ({@code float[]}, BatchNorm running statistics included). Each task rebuilds the graph once ({@link #rebuild}).
 * Serialised into Spark closures: it holds only the two handles.
 */
final class BroadcastGraph implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<String> configJson;
  private final Broadcast<float[]> params;

  private BroadcastGraph(Broadcast<String> configJson, Broadcast<float[]> params) {
    this.configJson = configJson;
    this.params = params;
  }

  static BroadcastGraph of(JavaSparkContext sc, ComputationGraph graph) {
    float[] flat = graph.params().castTo(DataType.FLOAT).toFloatVector();
    return new BroadcastGraph(sc.broadcast(graph.getConfiguration().toJson()), sc.broadcast(flat));
  }

  /** The graph with the broadcast parameters, ready for inference; one per task (graphs are not thread-safe). */
  ComputationGraph rebuild() {
    LayerHelpers.enableByDefault();
    ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(configJson.value()));
    float[] p = params.value();
    graph.init(Nd4j.createFromArray(p).reshape(1, p.length), false);
    return graph;
  }

  /** Releases the broadcast values ({@code unpersist}); call when every task that needs them has run. */
  void release() {
    configJson.unpersist(false);
    params.unpersist(false);
  }
}

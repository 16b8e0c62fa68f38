package io.pretext.jobs.train.worker;

import io.pretext.model.GraphSettings;
import io.pretext.model.backend.LayerHelpers;
import java.util.ArrayDeque;
import java.util.Deque;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The networks a JVM's workers train, kept between rounds: building a graph from its JSON configuration and
 * allocating its parameters costs as much as several minibatches of a small encoder, and a run's configuration never
 * changes. One pool per JVM for the configuration of the current run (a new run's configuration replaces it); a task
 * borrows a network for its round and gives it back, so concurrent tasks of one executor never share one. Every
 * round then overwrites the whole state that training reads: parameters, optimiser state, iteration and epoch counts
 * ({@link WorkerLoop}).
 */
final class WorkerNetworks {
  private static String configuration;
  private static final Deque<ComputationGraph> IDLE = new ArrayDeque<>();

  private WorkerNetworks() {}

  /** A network of {@code json}'s configuration, idle or new. */
  static ComputationGraph borrow(String json) {
    synchronized (IDLE) {
      if (json.equals(configuration) && !IDLE.isEmpty()) {
        return IDLE.pop();
      }
    }
    LayerHelpers.enableByDefault();
    ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
    graph.init();
    GraphSettings.adaptCacheMode(graph);
    return graph;
  }

  /** Gives {@code graph}, built from {@code json}, back for the next round. */
  static void giveBack(String json, ComputationGraph graph) {
    synchronized (IDLE) {
      if (!json.equals(configuration)) {
        configuration = json;
        IDLE.clear();
      }
      IDLE.push(graph);
    }
  }

  /** Drops every idle network (tests). */
  static void clear() {
    synchronized (IDLE) {
      configuration = null;
      IDLE.clear();
    }
  }
}

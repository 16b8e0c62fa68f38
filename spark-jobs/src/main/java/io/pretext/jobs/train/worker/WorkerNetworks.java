package io.pretext.jobs.train.worker;

import io.pretext.model.GraphSettings;
import io.pretext.model.backend.LayerHelpers;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
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
  /** What an idle network holds, by the all-reduce trainer's version label ({@link #giveBack(String, ComputationGraph, String)}). */
  private static final Map<ComputationGraph, String> VERSIONS = new IdentityHashMap<>();

  private WorkerNetworks() {}

  /** A network of {@code json}'s configuration, idle or new; whatever it holds is unlabelled from now on. */
  static ComputationGraph borrow(String json) {
    return borrow(json, null).network();
  }

  /**
   * A network of {@code json}'s configuration: an idle one labelled {@code version} if there is one, else any idle or
   * a new one; with the label it had (null: none). The label is removed: a network in use holds nothing known.
   */
  static Borrowed borrow(String json, String version) {
    synchronized (IDLE) {
      if (json.equals(configuration) && !IDLE.isEmpty()) {
        ComputationGraph pick = IDLE.peek();
        for (ComputationGraph g : IDLE) {
          if (version != null && version.equals(VERSIONS.get(g))) {
            pick = g;
            break;
          }
        }
        IDLE.remove(pick);
        return new Borrowed(pick, VERSIONS.remove(pick));
      }
    }
    return new Borrowed(build(json), null);
  }

  /** A borrowed network and the version label it had when idle. */
  record Borrowed(ComputationGraph network, String version) {}

  private static ComputationGraph build(String json) {
    LayerHelpers.enableByDefault();
    ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
    graph.init();
    GraphSettings.adaptCacheMode(graph);
    return graph;
  }

  /** Gives {@code graph}, built from {@code json}, back for the next round, unlabelled. */
  static void giveBack(String json, ComputationGraph graph) {
    giveBack(json, graph, null);
  }

  /**
   * Gives {@code graph} back labelled {@code version} (null: unlabelled): the all-reduce trainer's next segment continues
   * from a network labelled with the version it starts at, instead of loading it.
   */
  static void giveBack(String json, ComputationGraph graph, String version) {
    synchronized (IDLE) {
      if (!json.equals(configuration)) {
        configuration = json;
        IDLE.clear();
        VERSIONS.clear();
      }
      IDLE.push(graph);
      if (version != null) {
        VERSIONS.put(graph, version);
      }
    }
  }

  /** Drops every idle network (tests). */
  static void clear() {
    synchronized (IDLE) {
      configuration = null;
      IDLE.clear();
      VERSIONS.clear();
    }
  }
}

package io.pretext.model.method.distillation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The target network of a self-distillation method, kept inside the training graph: a copy of (part of) the online
 * network under the name prefix {@value #PREFIX}, every vertex wrapped in DL4J's {@link FrozenVertex}.
 *
 * <p>Why frozen vertices: DL4J skips them in backpropagation (no wasted backward pass, no gradient), gives them a
 * no-op updater and no regularisation (no Adam state, no weight decay), yet runs their layers' forward pass with the
 * graph's training flag, so the target's batch norm uses batch statistics like the online network's (the paper's
 * setting; DL4J's {@code FrozenLayer} would force inference mode). Because the target's weights are ordinary
 * parameters of the graph, parameter averaging averages them with the rest, the master broadcasts them, and
 * checkpoints and {@code --resume} carry them: the target stays one consistent network across workers and rounds.
 *
 * <p>{@link #ema} moves the target toward the online network: {@code xi <- tau xi + (1 - tau) theta}, vertex by vertex,
 * over all parameters of each pair (weights, biases, batch-norm scale, shift and running statistics).
 */
public final class TargetNetwork implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Name prefix of the target's vertices. */
  public static final String PREFIX = "target_";

  private final List<String> online;

  private TargetNetwork(List<String> online) {
    this.online = List.copyOf(online);
  }

  /**
   * Freezes, in {@code conf}, every vertex named {@link #PREFIX}{@code + v} for the online vertices {@code v} given.
   * The target's vertices must already be in the configuration, built by the same encoder and head code under the
   * prefix (so they have the same layers, input sizes and preprocessors).
   *
   * @param conf   a built configuration holding both networks
   * @param online names of the online vertices that have a target twin
   * @throws IllegalArgumentException if a twin is missing
   */
  public static TargetNetwork freeze(ComputationGraphConfiguration conf, Set<String> online) {
    Map<String, GraphVertex> vertices = conf.getVertices();
    List<String> names = new ArrayList<>();
    for (String v : online) {
      String t = PREFIX + v;
      GraphVertex target = vertices.get(t);
      if (target == null) {
        throw new IllegalArgumentException("target network: vertex " + v + " has no twin " + t + " in the graph");
      }
      vertices.put(t, new FrozenVertex(target));
      names.add(v);
    }
    names.sort(null);
    return new TargetNetwork(names);
  }

  /** The target network of a graph that holds one: the twins of every vertex named {@link #PREFIX}{@code + v}. */
  public static TargetNetwork of(ComputationGraph graph) {
    List<String> names = new ArrayList<>();
    for (String v : graph.getConfiguration().getVertices().keySet()) {
      if (v.startsWith(PREFIX)) {
        names.add(v.substring(PREFIX.length()));
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the graph has no target network (no vertex named " + PREFIX + "*)");
    }
    names.sort(null);
    return new TargetNetwork(names);
  }

  /** The online vertices that have a target twin. */
  public List<String> onlineVertices() {
    return online;
  }

  /** Sets the target's parameters to the online network's ({@code tau = 0}): the start of training. */
  public void copyOnline(ComputationGraph graph) {
    ema(graph, 0.0);
  }

  /** {@code xi <- tau xi + (1 - tau) theta} for every twin pair, in place in the graph's parameters. */
  public void ema(ComputationGraph graph, double tau) {
    for (String v : online) {
      INDArray theta = graph.getVertex(v).params();
      if (theta == null || theta.isEmpty()) {
        continue;
      }
      INDArray xi = graph.getVertex(PREFIX + v).params();
      if (tau == 0.0) {
        xi.assign(theta);
      } else {
        xi.muli(tau).addi(theta.mul(1.0 - tau));
      }
    }
  }
}

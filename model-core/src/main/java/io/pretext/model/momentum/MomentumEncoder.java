package io.pretext.model.momentum;

import io.pretext.model.layers.FusedBatchNorm;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A momentum encoder kept inside the training graph: a copy of (part of) the online network under a name prefix (BYOL's
 * target {@code target_}, MoCo's key encoder {@code key_}), every vertex wrapped in DL4J's {@link FrozenVertex}, moved
 * toward the online network by an exponential moving average after every optimiser step ({@link #ema}). lightly keeps
 * the same helper once for all its methods ({@code models/utils.py}, {@code update_momentum}).
 *
 * <p>Why frozen vertices: DL4J skips them in backpropagation (no wasted backward pass, no gradient), gives them a
 * no-op updater and no regularisation (no Adam state, no weight decay), yet runs their layers' forward pass with the
 * graph's training flag, so the twin's batch norm uses batch statistics like the online network's (the papers' setting;
 * DL4J's {@code FrozenLayer} would force inference mode). Because the twin's weights are ordinary parameters of the
 * graph, parameter averaging averages them with the rest, the trainer broadcasts them, and checkpoints and
 * {@code --resume} carry them: the twin stays one consistent network across workers and rounds.
 *
 * <p>{@link #ema} moves the twin toward the online network: {@code xi <- tau xi + (1 - tau) theta}, vertex by vertex,
 * over all parameters of each pair (weights, biases, batch-norm scale, shift and running statistics).
 */
public final class MomentumEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String prefix;
  private final List<String> online;

  private MomentumEncoder(String prefix, List<String> online) {
    this.prefix = prefix;
    this.online = List.copyOf(online);
  }

  /**
   * Freezes, in {@code conf}, every vertex named {@code prefix + v} for the online vertices {@code v} given. The twin's
   * vertices must already be in the configuration, built by the same encoder and head code under the prefix (so they
   * have the same layers, input sizes and preprocessors).
   *
   * @param conf   a built configuration holding both networks
   * @param prefix the twin's name prefix
   * @param online names of the online vertices that have a twin
   * @throws IllegalArgumentException if a twin is missing
   */
  public static MomentumEncoder freeze(ComputationGraphConfiguration conf, String prefix, Set<String> online) {
    Map<String, GraphVertex> vertices = conf.getVertices();
    List<String> names = new ArrayList<>();
    for (String v : online) {
      String t = prefix + v;
      GraphVertex twin = vertices.get(t);
      if (twin == null) {
        throw new IllegalArgumentException("momentum encoder: vertex " + v + " has no twin " + t + " in the graph");
      }
      vertices.put(t, new FrozenVertex(twin));
      names.add(v);
    }
    names.sort(null);
    return new MomentumEncoder(prefix, names);
  }

  /**
   * {@link #freeze} for the twin of everything {@code onlineOutput} depends on (the online encoder and head), the
   * graph's inputs excepted.
   */
  public static MomentumEncoder freezeTwinOf(ComputationGraphConfiguration conf, String prefix, String onlineOutput) {
    Set<String> online = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(onlineOutput));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (online.add(v)) {
        todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
      }
    }
    online.removeAll(conf.getNetworkInputs());
    return freeze(conf, prefix, online);
  }

  /** The momentum encoder of a graph that holds one: the twins of every vertex named {@code prefix + v}. */
  public static MomentumEncoder of(ComputationGraph graph, String prefix) {
    List<String> names = new ArrayList<>();
    for (String v : graph.getConfiguration().getVertices().keySet()) {
      if (v.startsWith(prefix)) {
        names.add(v.substring(prefix.length()));
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the graph has no momentum encoder (no vertex named " + prefix + "*)");
    }
    names.sort(null);
    return new MomentumEncoder(prefix, names);
  }

  /**
   * Split batch norm in the twin of a configuration that {@link #freeze} froze: every {@link FusedBatchNorm} layer of
   * a {@code prefix}-named vertex normalises its batch in {@code groups} contiguous row groups
   * ({@link FusedBatchNorm#setGroups}); the online network keeps whole-batch statistics.
   *
   * @return how many batch-norm layers were split
   */
  public static int splitBatchNorm(ComputationGraphConfiguration conf, String prefix, int groups) {
    int split = 0;
    for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
      GraphVertex v = e.getValue();
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      if (v instanceof FrozenVertex f) {
        v = f.getUnderlying();
      }
      if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FusedBatchNorm bn) {
        bn.setGroups(groups);
        split++;
      }
    }
    return split;
  }

  /** The twin's name prefix. */
  public String prefix() {
    return prefix;
  }

  /** The online vertices that have a twin. */
  public List<String> onlineVertices() {
    return online;
  }

  /** Sets the twin's parameters to the online network's ({@code tau = 0}): the start of training. */
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
      INDArray xi = graph.getVertex(prefix + v).params();
      if (tau == 0.0) {
        xi.assign(theta);
      } else {
        xi.muli(tau).addi(theta.mul(1.0 - tau));
      }
    }
  }
}

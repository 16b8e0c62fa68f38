package io.pretext.model.method;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads representations out of a trained graph: {@link #of} runs a forward pass in inference mode that stops at the
 * representation vertex (the projection head and loss are not evaluated); {@link #encoderOnly} makes a smaller graph
 * holding only the encoder (e.g. to broadcast for evaluation or to fine-tune).
 */
public final class Representations {

  private Representations() {
  }

  /**
   * Activations of layer {@code vertex} for {@code images}.
   *
   * @param graph  a single-input graph containing the layer {@code vertex}
   * @param vertex name of the representation layer (e.g. {@link SslMethod#representationVertex()})
   * @param images {@code [N, C, H, W]}
   * @return {@code [N, repDim]}, detached from DL4J workspaces
   * @throws IllegalArgumentException if the graph has no layer named {@code vertex}
   */
  public static INDArray of(ComputationGraph graph, String vertex, INDArray images) {
    return of(graph, vertex, new INDArray[] {images});
  }

  /**
   * {@link #of(ComputationGraph, String, INDArray)} for a graph of several inputs (a VAE's noise), all given.
   *
   * @param inputs one array per graph input, in order
   */
  public static INDArray of(ComputationGraph graph, String vertex, INDArray[] inputs) {
    Layer[] layers = graph.getLayers();
    Layer target = graph.getLayer(vertex);
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] == target && target != null) {
        Map<String, INDArray> acts = graph.feedForward(inputs, i, false);
        return acts.get(vertex);
      }
    }
    throw new IllegalArgumentException("Graph has no layer named '" + vertex + "'; its vertices are "
        + graph.getConfiguration().getVertices().keySet());
  }

  /**
   * A new graph made of {@code vertex} and everything it depends on, with {@code vertex} as the only output, and a
   * copy of the trained parameters (including BatchNorm running statistics). The projection head and loss are
   * dropped, and so are graph inputs only they read (masked-LM's masked positions); the result has no output layer,
   * so it is for {@code output(...)}, not for {@code fit(...)}.
   *
   * @param graph  trained graph, e.g. built by an {@link SslMethod}
   * @param vertex representation vertex, e.g. {@link SslMethod#representationVertex()}
   * @return encoder-only graph; {@code outputSingle(images)} is {@code [N, repDim]}
   */
  public static ComputationGraph encoderOnly(ComputationGraph graph, String vertex) {
    ComputationGraphConfiguration conf = graph.getConfiguration().clone();
    if (!conf.getVertices().containsKey(vertex)) {
      throw new IllegalArgumentException("Graph has no vertex named '" + vertex + "'; its vertices are "
          + conf.getVertices().keySet());
    }
    Set<String> keep = ancestorsAndSelf(conf.getVertexInputs(), vertex);
    conf.getVertices().keySet().retainAll(keep);
    conf.getVertexInputs().keySet().retainAll(keep);
    // Inputs only the dropped head used (masked-LM's positions) go too: the encoder takes just what it reads.
    conf.setNetworkInputs(new ArrayList<>(conf.getNetworkInputs().stream().filter(keep::contains).toList()));
    conf.setNetworkOutputs(List.of(vertex));
    ComputationGraph encoder = new ComputationGraph(conf);
    encoder.init();
    for (Layer layer : encoder.getLayers()) {
      String name = layer.conf().getLayer().getLayerName();
      if (layer.numParams() > 0) {
        layer.setParams(graph.getLayer(name).params().dup());
      }
    }
    return encoder;
  }

  private static Set<String> ancestorsAndSelf(Map<String, List<String>> inputs, String vertex) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(vertex));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (seen.add(v)) {
        todo.addAll(inputs.getOrDefault(v, List.of()));
      }
    }
    return seen;
  }
}

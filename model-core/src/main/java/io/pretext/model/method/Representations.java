package io.pretext.model.method;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads representations out of a trained graph: a forward pass in inference mode that stops at the representation
 * vertex (the projection head and loss are not evaluated).
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
        Layer[] layers = graph.getLayers();
        Layer target = graph.getLayer(vertex);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == target && target != null) {
                Map<String, INDArray> acts = graph.feedForward(new INDArray[] {images}, i, false);
                return acts.get(vertex);
            }
        }
        throw new IllegalArgumentException("Graph has no layer named '" + vertex + "'; its vertices are "
                + graph.getConfiguration().getVertices().keySet());
    }
}

package io.pretext.model.head;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * MLP projection head g(.) of SimCLR (Chen et al. 2020, Sec. 2.1): {@code [N, inDim] -> [N, outDim]}.
 *
 * <p>Each hidden layer is {@code Dense(h) [-> BatchNorm] -> ReLU}; the last layer is a linear {@code Dense(outDim)}
 * (no activation, no BN). With BatchNorm the hidden Dense layers have no bias. BYOL's projector and predictor are
 * the same MLP with BatchNorm. The head is discarded after pretraining: evaluation uses the encoder's
 * representation.
 *
 * @param hiddenDims sizes of the hidden layers, each &gt;= 1 (may be empty: a single linear layer)
 * @param outDim     size of the projection (the loss input), &gt;= 1
 * @param batchNorm  whether hidden layers use BatchNormalization before the ReLU
 */
public record ProjectionHead(List<Integer> hiddenDims, int outDim, boolean batchNorm) implements java.io.Serializable {

  /** Name of the head's output vertex, after the prefix. */
  public static final String OUTPUT = "proj_out";

  public ProjectionHead {
    hiddenDims = List.copyOf(hiddenDims);
    for (int i = 0; i < hiddenDims.size(); i++) {
      if (hiddenDims.get(i) < 1) {
        throw new IllegalArgumentException("ProjectionHead.hiddenDims[" + i + "] = " + hiddenDims.get(i)
            + " is invalid: must be >= 1; the default head uses [128]");
      }
    }
    if (outDim < 1) {
      throw new IllegalArgumentException("ProjectionHead.outDim = " + outDim
          + " is invalid: must be >= 1; the default is 64");
    }
  }

  /**
   * Adds the head to {@code graph}.
   *
   * @param graph  builder to add to
   * @param prefix prefix of every vertex name the head adds
   * @param input  vertex holding the representation {@code [N, inDim]} (nIn is inferred from the graph's input types)
   * @return name of the output vertex ({@code prefix + OUTPUT}), activations {@code [N, outDim]}
   */
  public String addTo(GraphBuilder graph, String prefix, String input) {
    return addTo(graph, prefix, input, "proj");
  }

  /**
   * Adds the MLP with vertex names {@code prefix + stem + "_hidden<i>"} and {@code prefix + stem + "_out"} (BYOL's
   * predictor is {@code stem = "pred"}); the {@code proj} stem gives the {@link #OUTPUT} name.
   */
  public String addTo(GraphBuilder graph, String prefix, String input, String stem) {
    String x = input;
    for (int i = 0; i < hiddenDims.size(); i++) {
      String name = prefix + stem + "_hidden" + (i + 1);
      graph.addLayer(name, new DenseLayer.Builder().nOut(hiddenDims.get(i)).hasBias(!batchNorm)
          .weightInit(WeightInit.RELU).activation(Activation.IDENTITY).build(), x);
      x = name;
      if (batchNorm) {
        graph.addLayer(name + "_bn", new BatchNormalization.Builder().build(), x);
        x = name + "_bn";
      }
      graph.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), x);
      x = name + "_relu";
    }
    String out = prefix + stem + "_out";
    graph.addLayer(out, new DenseLayer.Builder().nOut(outDim).weightInit(WeightInit.XAVIER)
        .activation(Activation.IDENTITY).build(), x);
    return out;
  }
}

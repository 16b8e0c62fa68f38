package io.pretext.model.method.finetune;

import io.pretext.model.encoder.EncoderSpec;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies a pretrained encoder into a fine-tuning network: every parameter array of the target's encoder (the vertices
 * its representation depends on, batch-norm running statistics included) from the source vertex of the same local name
 * under the source's prefix (the prefix of the source run's representation vertex, {@code ""} for every method of this
 * version). The classifier keeps its fresh initialisation, and the optimiser starts fresh.
 */
public final class PretrainedEncoder {
  private PretrainedEncoder() {}

  /**
   * @param source the pretrained run's network
   * @param sourceRepresentation its representation vertex (run.json's)
   * @param target a network built by {@link FineTune} with the same encoder
   * @return parameters copied
   * @throws IllegalArgumentException if an encoder vertex of the target has no counterpart of the same shapes in the
   *     source (another encoder, another input size)
   */
  public static long copy(ComputationGraph source, String sourceRepresentation, ComputationGraph target) {
    if (!sourceRepresentation.endsWith(EncoderSpec.REPRESENTATION)) {
      throw new IllegalArgumentException("the pretrained run's representation vertex '" + sourceRepresentation + "' is not an encoder's"
          + " (it must end in '" + EncoderSpec.REPRESENTATION + "')");
    }
    String prefix = sourceRepresentation.substring(0, sourceRepresentation.length() - EncoderSpec.REPRESENTATION.length());
    long copied = 0;
    for (String v : encoderVertices(target)) {
      Map<String, INDArray> to = target.getVertex(v).paramTable(false);
      if (to == null || to.isEmpty()) {
        continue;
      }
      GraphVertex from = source.getVertex(prefix + v);
      Map<String, INDArray> fromParams = from == null ? null : from.paramTable(false);
      if (fromParams == null || !fromParams.keySet().equals(to.keySet())) {
        throw new IllegalArgumentException("the pretrained network has no encoder vertex '" + prefix + v + "' with parameters "
            + to.keySet() + ": it was trained with another encoder; fine-tune with the run's own --encoder");
      }
      for (Map.Entry<String, INDArray> e : to.entrySet()) {
        INDArray p = fromParams.get(e.getKey());
        if (!Arrays.equals(p.shape(), e.getValue().shape())) {
          throw new IllegalArgumentException("the pretrained encoder's " + prefix + v + "/" + e.getKey() + " has shape " + Arrays.toString(p.shape())
              + ", the fine-tuning network's " + Arrays.toString(e.getValue().shape()) + ": the images differ in channels or size from"
              + " those it was pretrained on");
        }
        e.getValue().assign(p.castTo(e.getValue().dataType()));
        copied += p.length();
      }
    }
    return copied;
  }

  /** The vertices the target's representation depends on, inputs excluded. */
  static Set<String> encoderVertices(ComputationGraph graph) {
    Map<String, List<String>> inputs = graph.getConfiguration().getVertexInputs();
    Set<String> out = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(EncoderSpec.REPRESENTATION));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (out.add(v)) {
        todo.addAll(inputs.getOrDefault(v, List.of()));
      }
    }
    out.removeAll(graph.getConfiguration().getNetworkInputs());
    return out;
  }
}

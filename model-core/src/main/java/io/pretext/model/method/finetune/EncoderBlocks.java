package io.pretext.model.method.finetune;

import io.pretext.model.encoder.EncoderSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

/**
 * The encoder's blocks, as {@code --freeze-layers} counts them: the encoder says which block each of its vertices
 * belongs to ({@link EncoderSpec#blockOf}: a convolution with its batch norm, a residual block, BERT's embeddings or
 * one Transformer block), in the order the encoder added them. Blocks without parameters (the channels-last transpose,
 * the pooling) are not counted.
 */
public final class EncoderBlocks {
  private EncoderBlocks() {}

  /**
   * The blocks with parameters among {@code encoderVertices}, in order, each with its vertices.
   *
   * @param conf the built configuration
   * @param encoderVertices the encoder's vertex names in the order the encoder added them (with no prefix)
   * @param encoder the encoder that added them
   */
  public static Map<String, List<String>> of(ComputationGraphConfiguration conf, List<String> encoderVertices, EncoderSpec encoder) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (String v : encoderVertices) {
      all.computeIfAbsent(encoder.blockOf(v), b -> new ArrayList<>()).add(v);
    }
    Map<String, List<String>> withParameters = new LinkedHashMap<>();
    all.forEach((block, vertices) -> {
      if (vertices.stream().anyMatch(v -> hasParameters(conf.getVertices().get(v)))) {
        withParameters.put(block, vertices);
      }
    });
    return withParameters;
  }

  /** Vertex names of the first {@code count} blocks. */
  public static Set<String> first(Map<String, List<String>> blocks, int count) {
    Set<String> out = new java.util.LinkedHashSet<>();
    int i = 0;
    for (List<String> vertices : blocks.values()) {
      if (i++ >= count) {
        break;
      }
      out.addAll(vertices);
    }
    return out;
  }

  private static boolean hasParameters(GraphVertex v) {
    return v instanceof LayerVertex lv && lv.getLayerConf().getLayer().initializer().numParams(lv.getLayerConf()) > 0;
  }
}

package io.pretext.model.method.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

/**
 * The encoder's blocks, as {@code --freeze-layers} counts them: vertices are named {@code block_part} by the encoders
 * ({@code conv1}, {@code conv1_bn}: one block for {@code small-cnn}'s first convolution with its batch norm;
 * {@code s1b1_conv1 .. s1b1_bn2}: one residual block of a ResNet), so a block is the vertices sharing the name before the
 * first underscore, in the order the encoder added them. Blocks without parameters (the channels-last transpose, the
 * pooling) are not counted.
 */
public final class EncoderBlocks {
  private EncoderBlocks() {}

  /** The block a vertex belongs to. */
  public static String blockOf(String vertex) {
    int cut = vertex.indexOf('_');
    return cut < 0 ? vertex : vertex.substring(0, cut);
  }

  /**
   * The blocks with parameters among {@code encoderVertices}, in order, each with its vertices.
   *
   * @param conf the built configuration
   * @param encoderVertices the encoder's vertex names in the order the encoder added them
   */
  public static Map<String, List<String>> of(ComputationGraphConfiguration conf, List<String> encoderVertices) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (String v : encoderVertices) {
      all.computeIfAbsent(blockOf(v), b -> new ArrayList<>()).add(v);
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

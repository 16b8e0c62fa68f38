package io.pretext.model.method;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.encoder.EncoderOutput;
import io.pretext.model.encoder.EncoderSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The start every image method's training graph shares: DL4J's graph builder from the run's settings, the image input
 * {@link SslMethod#INPUT} (and any further inputs the method takes, MoCo's queue), and the encoder on the image input
 * with its representation vertex checked. The method adds its heads and loss to {@link Start#graph()}.
 */
public final class ImageGraphs {
  private ImageGraphs() {}

  /**
   * @param graph the builder, with the inputs and the encoder added
   * @param shape the images' shape
   * @param representation the encoder's representation vertex
   */
  public record Start(GraphBuilder graph, InputShape shape, String representation) {}

  /** {@link #start(EncoderSpec, ModelInput, GraphSettings, String, String, Map)} with the image input only. */
  public static Start start(EncoderSpec encoder, ModelInput input, GraphSettings settings, String method, String representation) {
    return start(encoder, input, settings, method, representation, Map.of());
  }

  /**
   * @param method the method's name, for messages
   * @param representation the vertex the method reads the representation from ({@link SslMethod#representationVertex()})
   * @param moreInputs further graph inputs after the image input, with their types, in order
   * @throws IllegalArgumentException if the input is not an image
   * @throws IllegalStateException if the encoder named its representation vertex otherwise
   */
  public static Start start(EncoderSpec encoder, ModelInput input, GraphSettings settings, String method, String representation,
      Map<String, InputType> moreInputs) {
    InputShape shape = ModelInput.image(input, method);
    List<String> names = new ArrayList<>(List.of(SslMethod.INPUT));
    List<InputType> types = new ArrayList<>(List.of(shape.toInputType()));
    new LinkedHashMap<>(moreInputs).forEach((name, type) -> {
      names.add(name);
      types.add(type);
    });
    GraphBuilder graph = settings.configurationBuilder().graphBuilder()
        .addInputs(names.toArray(String[]::new))
        .setInputTypes(types.toArray(InputType[]::new));
    EncoderOutput encoded = encoder.addTo(graph, "", SslMethod.INPUT, shape);
    if (!encoded.representationVertex().equals(representation)) {
      throw new IllegalStateException("Encoder " + encoder.name() + " named its representation vertex '"
          + encoded.representationVertex() + "', expected '" + representation + "'");
    }
    return new Start(graph, shape, representation);
  }
}

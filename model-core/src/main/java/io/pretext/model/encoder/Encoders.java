package io.pretext.model.encoder;

import io.pretext.model.DatasetKind;
import io.pretext.model.config.OptionCheck;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Registry of encoders by name. A new encoder is one new {@link EncoderSpec} class and one line here.
 *
 * <ul>
 *   <li>{@code small-cnn}: {@link SmallCnn}, 128-d</li>
 *   <li>{@code resnet20}, {@code resnet20-wide}: {@link ResNet#resnet20()}, {@link ResNet#resnet20Wide()}, CIFAR
 *       ResNet-20 at widths 16/32/64 and 64/128/256, 64-d and 256-d</li>
 *   <li>{@code resnet18-small}: {@link ResNet#resnet18Small()}, 512-d</li>
 *   <li>{@code resnet50}: {@link ResNet#resnet50()}, 2048-d</li>
 *   <li>{@code bert-tiny}, {@code bert-mini}: {@link Bert#tiny()}, {@link Bert#mini()}, text, 128-d and 256-d; any other
 *       BERT size as {@code bert:layers=L,hidden=H,heads=A,ff=F} ({@link Bert#parse})</li>
 * </ul>
 */
public final class Encoders {

  private static final Map<String, Supplier<EncoderSpec>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put(SmallCnn.NAME, SmallCnn::new);
    REGISTRY.put(ResNet.RESNET20, ResNet::resnet20);
    REGISTRY.put(ResNet.RESNET20_WIDE, ResNet::resnet20Wide);
    REGISTRY.put(ResNet.RESNET18_SMALL, ResNet::resnet18Small);
    REGISTRY.put(ResNet.RESNET50, ResNet::resnet50);
    REGISTRY.put(Bert.TINY, Bert::tiny);
    REGISTRY.put(Bert.MINI, Bert::mini);
  }

  private Encoders() {
  }

  /**
   * The encoder registered under {@code name}, or the BERT of an explicit size {@code bert:...} ({@link Bert#parse}).
   *
   * @throws IllegalArgumentException if the name is unknown or the size malformed; the message lists the known names
   */
  public static EncoderSpec byName(String name) {
    if (name != null && name.startsWith(Bert.SPEC_PREFIX)) {
      return Bert.parse(name);
    }
    Supplier<EncoderSpec> s = REGISTRY.get(name);
    if (s == null) {
      throw OptionCheck.invalid("--encoder", name, String.join(", ", names())
          + ", or a BERT size as " + Bert.SPEC_PREFIX + "layers=L,hidden=H,heads=A,ff=F");
    }
    return s.get();
  }

  /** Registered names, in registration order. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(REGISTRY.keySet());
  }

  /** The encoder a run uses on {@code kind} data when {@code --encoder} is not given. */
  public static String defaultFor(DatasetKind kind) {
    return switch (kind) {
      case IMAGE -> SmallCnn.NAME;
      case TEXT -> Bert.TINY;
    };
  }
}

package io.pretext.data.batches.views;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The view recipes each method starts from, by the preset name the method declares
 * ({@link io.pretext.model.method.MultiViewMethod#viewPreset()}); every value can be overridden per run.
 *
 * <ul>
 *   <li>{@code simclr}: two views from one recipe: crop scale [0.2, 1], colour strength 0.5 on every view, no blur, no
 *       solarization. That is SimCLR's small-image setting (CIFAR-10, Chen et al. 2020, Appendix B.9) with jitter on
 *       every view, which stops the intensity shortcut on grayscale images (the README's Results).
 *   <li>{@code byol}: the same, plus BYOL's asymmetric views (Grill et al. 2020, Table 6): view 1 always blurred and
 *       never solarized, view 2 blurred with probability 0.1 and solarized with probability 0.2.
 * </ul>
 */
public final class ViewPresets {
  private static final Map<String, ViewSettings> PRESETS = new TreeMap<>();

  static {
    PRESETS.put("simclr", new ViewSettings(2, List.of(0.2), List.of(0.5), List.of(1.0), List.of(0.0), List.of(0.0)));
    PRESETS.put("byol", new ViewSettings(2, List.of(0.2), List.of(0.5), List.of(1.0), List.of(1.0, 0.1), List.of(0.0, 0.2)));
  }

  private ViewPresets() {}

  /**
   * The preset named {@code name}.
   *
   * @throws IllegalArgumentException naming the known presets
   */
  public static ViewSettings byName(String name) {
    ViewSettings s = PRESETS.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no view preset named '" + name + "' (known: " + String.join(", ", PRESETS.keySet()) + ")");
    }
    return s;
  }
}

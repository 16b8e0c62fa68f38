package io.pretext.model.method;

import io.pretext.model.DatasetKind;
import io.pretext.model.config.OptionCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The registry of SSL methods: every {@link MethodProvider} on the class path, by name. Adding a method is adding a
 * provider, no edit here.
 */
public final class Methods {
  private static final List<MethodProvider> ALL = load();

  private Methods() {
  }

  private static List<MethodProvider> load() {
    List<MethodProvider> found = new ArrayList<>();
    ServiceLoader.load(MethodProvider.class, Methods.class.getClassLoader()).forEach(found::add);
    found.sort(Comparator.comparing(MethodProvider::name));
    for (int i = 1; i < found.size(); i++) {
      if (found.get(i).name().equals(found.get(i - 1).name())) {
        throw new IllegalStateException("two methods registered as '" + found.get(i).name() + "': "
            + found.get(i - 1).getClass().getName() + " and " + found.get(i).getClass().getName());
      }
    }
    return Collections.unmodifiableList(found);
  }

  /**
   * Every registered pretraining method, by name: what {@code --method} lists. Runs of the others (fine-tuning) are
   * still found by {@link #byName}, which rebuilds any run's method.
   */
  public static List<MethodProvider> all() {
    return ALL.stream().filter(MethodProvider::pretrains).toList();
  }

  /**
   * The method registered as {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the registered methods
   */
  public static MethodProvider byName(String name) {
    for (MethodProvider p : ALL) {
      if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return p;
      }
    }
    throw OptionCheck.invalid("--method", name, names());
  }

  /**
   * The method {@code name} with every option at its default.
   *
   * @throws IllegalArgumentException if the name is not registered
   */
  public static SslMethod withDefaults(String name) {
    MethodOptions options = byName(name).newOptions();
    new CommandLine(options).parseArgs();
    return options.toMethod();
  }

  /**
   * The default method for {@code kind}: the one registered method whose provider says {@link
   * MethodProvider#isDefaultForKind()} for that kind.
   *
   * @throws IllegalStateException if none or several do
   */
  public static MethodProvider defaultFor(DatasetKind kind) {
    List<MethodProvider> found = ALL.stream().filter(p -> p.dataKind() == kind && p.isDefaultForKind()).toList();
    if (found.size() != 1) {
      throw new IllegalStateException("exactly one registered method must be the default for " + kind + " data; found "
          + found.stream().map(MethodProvider::name).toList());
    }
    return found.get(0);
  }

  /**
   * The registered methods whose defaults satisfy {@code capability}, joined by {@code " or "} (for messages such as
   * "needs a run of mlm"): e.g. {@code m -> m instanceof MaskedTokenPredictor}.
   */
  public static String namesWhere(Predicate<SslMethod> capability) {
    return all().stream().map(MethodProvider::name).filter(name -> capability.test(withDefaults(name))).collect(Collectors.joining(" or "));
  }

  /** {@code byol, mlm, simclr}: the registered pretraining methods' names. */
  public static String names() {
    return all().stream().map(MethodProvider::name).collect(Collectors.joining(", "));
  }
}

package io.pretext.data.batches;

import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.SslMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The registry of {@link BatchFactory} implementations on the class path. */
public final class BatchFactories {
  private static final List<BatchFactory> ALL = load();

  private BatchFactories() {}

  private static List<BatchFactory> load() {
    List<BatchFactory> found = new ArrayList<>();
    ServiceLoader.load(BatchFactory.class, BatchFactories.class.getClassLoader()).forEach(found::add);
    return List.copyOf(found);
  }

  /**
   * The factory serving {@code method}.
   *
   * @throws IllegalStateException if no factory on the class path serves its modality
   */
  public static BatchFactory forMethod(SslMethod method) {
    for (BatchFactory f : ALL) {
      if (f.batchType().isInstance(method)) {
        return f;
      }
    }
    throw new IllegalStateException("no batch factory on the class path serves method '" + method.name() + "'");
  }

  /**
   * The factory serving the methods of {@code method}.
   *
   * @throws IllegalStateException if no factory on the class path serves its modality
   */
  public static BatchFactory forMethod(MethodProvider method) {
    for (BatchFactory f : ALL) {
      if (f.batchType().isAssignableFrom(method.batchType())) {
        return f;
      }
    }
    throw new IllegalStateException("no batch factory on the class path serves method '" + method.name() + "' ("
        + method.batchType().getSimpleName() + ")");
  }
}

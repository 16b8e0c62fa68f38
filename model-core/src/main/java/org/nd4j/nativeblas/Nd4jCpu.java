package org.nd4j.nativeblas;

/**
 * Compatibility shim that lets DL4J 1.0.0-M2.1 find out whether libnd4j was built with oneDNN.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper#mklDnnEnabled()} (deeplearning4j-nn 1.0.0-M2.1)
 * decides whether the oneDNN layer helpers (convolution, batch norm, subsampling, LRN) may be used with:
 * <pre>
 *   Class&lt;?&gt; clazz = DL4JClassLoading.loadClassByName("org.nd4j.nativeblas.Nd4jCpu$Environment");
 *   Object instance = clazz.getMethod("getInstance").invoke(null);
 *   return (boolean) clazz.getMethod("isUseMKLDNN").invoke(instance);
 * </pre>
 * and returns {@code false} on any {@code Throwable}. In 1.0.0-M2.1 the JavaCPP binding moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and the method was renamed {@code isUseONEDNN}, so without
 * this class the check always fails and the helpers are silently never used. This class restores the old name. The
 * check runs once per layer when a network is initialised, never per batch.
 *
 * <p>The answer is "libnd4j was built with oneDNN ({@code HAVE_ONEDNN} in its build info) and oneDNN use is switched
 * on ({@code Environment::isUseONEDNN}, on by default)". The build-info part matters: the portable
 * {@code nd4j-native:linux-x86_64} build has no oneDNN but still reports {@code isUseONEDNN() == true}, and there the
 * "MKLDNN" helpers would run libnd4j's generic C++ conv2d / batchnorm ops instead of oneDNN. On that build this class
 * answers {@code false}, so DL4J keeps its built-in implementation. With the CUDA backend DL4J never asks (it checks
 * the backend first). Remove this class when upgrading to a DL4J release whose check uses the new binding.
 *
 * <p>The package is shared with {@code nd4j-native-api}; that is fine on the class path (how Pretext runs: tests,
 * {@code bin/pretext}, Spark job jar) but would be a split package on the module path.
 */
public final class Nd4jCpu {

  private Nd4jCpu() {
  }

  /** Stand-in for the pre-M2.1 {@code Nd4jCpu.Environment}: the two members DL4J calls reflectively. */
  public static final class Environment {

    private static final Environment INSTANCE = new Environment();

    private final boolean builtWithOneDnn = org.nd4j.linalg.factory.Nd4j.getBackend().buildInfo()
        .contains("HAVE_ONEDNN");

    private Environment() {
    }

    /** The singleton, like libnd4j's {@code sd::Environment::getInstance()}. */
    public static Environment getInstance() {
      return INSTANCE;
    }

    /** Whether libnd4j was built with oneDNN and oneDNN use is switched on ({@code Environment::isUseONEDNN}). */
    public boolean isUseMKLDNN() {
      return builtWithOneDnn
          && org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
    }

    /** Whether libnd4j was built with oneDNN ({@code HAVE_ONEDNN} in {@code buildInfo()}). */
    public boolean isBuiltWithOneDnn() {
      return builtWithOneDnn;
    }
  }
}

package io.pretext.model.backend;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oneDNN called directly (JavaCPP's {@code org.bytedeco:dnnl} presets, oneDNN 2.5), for the kernels libnd4j's own
 * oneDNN integration cannot reach from Java.
 *
 * <p>Why a second way into oneDNN: libnd4j links oneDNN 2.3 statically but exposes only its op interface, and its
 * batch-norm op always runs with {@code use_global_stats}, so the batch statistics, the fused ReLU and most of the
 * backward pass stay in ND4J ops, about ten passes over the activations per direction (docs/performance.md). Called
 * directly, oneDNN's {@code batch_normalization} with {@code fuse_norm_relu} computes the statistics, normalises,
 * applies the ReLU and, backwards, every gradient, in about a fifth of that time. The arrays stay ND4J's: oneDNN
 * memory objects wrap their addresses (no copy).
 *
 * <p>Used when {@link #available()}: the CPU backend, FLOAT arrays (callers check), the presets' native library
 * loads on this platform, and the system property {@value #DISABLE_PROPERTY} is not {@code true}. Anything else
 * (CUDA, DOUBLE for gradient checks, another platform) keeps the caller's ND4J path, which computes the same.
 *
 * <p>Threads: the presets' oneDNN is built with OpenMP and resolves to the same {@code libgomp} as libnd4j (JavaCPP
 * loads a library name once per process), so {@link NativeThreads} limits both. Engines are thread-safe and shared;
 * streams are per thread ({@link #stream()}).
 */
public final class DirectOneDnn {

  /** {@code -Dpretext.onednn.direct.disable=true} turns the direct kernels off (the ND4J path runs instead). */
  public static final String DISABLE_PROPERTY = "pretext.onednn.direct.disable";

  private static final Logger LOG = LoggerFactory.getLogger(DirectOneDnn.class);
  private static final ThreadLocal<stream> STREAMS = ThreadLocal.withInitial(() -> new stream(Holder.ENGINE));

  private DirectOneDnn() {
  }

  /** Loads the native library once, on first use; {@code ENGINE == null} when it cannot be loaded here. */
  private static final class Holder {
    static final engine ENGINE = load();

    private static engine load() {
      String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
      if (!"CPU".equalsIgnoreCase(backend)) {
        return null;
      }
      try {
        Loader.load(dnnl.class);
        return new engine(engine.kind.cpu, 0);
      } catch (Throwable e) {
        LOG.warn("oneDNN presets (org.bytedeco:dnnl) unavailable on {}: batch norm runs on ND4J ops ({})",
            Loader.getPlatform(), e.toString());
        return null;
      }
    }
  }

  /** Whether the direct kernels may run: not disabled by {@value #DISABLE_PROPERTY}, CPU backend, library loaded. */
  public static boolean available() {
    return !Boolean.getBoolean(DISABLE_PROPERTY) && Holder.ENGINE != null;
  }

  /** Whether an array of this type can go to the direct kernels now ({@link #available()} and FLOAT). */
  public static boolean accepts(DataType type) {
    return type == DataType.FLOAT && available();
  }

  /** The process's CPU engine. Only after {@link #available()} answered true. */
  public static engine engine() {
    return Holder.ENGINE;
  }

  /** The calling thread's stream on {@link #engine()} (oneDNN streams are not shared between threads). */
  public static stream stream() {
    return STREAMS.get();
  }

  /**
   * The address of an array's first element, for a oneDNN memory object. The array must be dense in C order (a view
   * with an offset is fine: ND4J's address pointer includes the offset).
   */
  public static Pointer address(INDArray a) {
    if (!isDenseC(a)) {
      throw new IllegalArgumentException("oneDNN needs a dense C-order array, got shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
    }
    return a.data().addressPointer();
  }

  /**
   * Whether {@code a}'s elements lie in memory as a dense C-order array of its shape: every dimension longer than one
   * has the stride of the dimensions after it. Dimensions of length one are skipped, and so is ND4J's ordering flag,
   * which for such shapes may say {@code f} of an array laid out in C order ({@code [4, 1, 1, 128]} with strides
   * {@code [128, 128, 128, 1]}, the output of a 1x1 spatial map).
   */
  public static boolean isDenseC(INDArray a) {
    long expected = 1;
    long[] shape = a.shape();
    long[] stride = a.stride();
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }
}

package io.pretext.model.backend;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Threads used by native code in this JVM: libnd4j's own pools, OpenMP (libnd4j and oneDNN) and
 * OpenBLAS. Set it when several training tasks share one process (Spark local mode runs every
 * worker in the driver JVM), so that workers x threads does not oversubscribe the cores. For
 * separate executor JVMs the equivalent is the environment variables {@code OMP_NUM_THREADS} and
 * {@code OPENBLAS_NUM_THREADS}.
 */
public final class NativeThreads {
  private NativeThreads() {}

  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("native threads must be >= 1, got " + threads);
    }
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }
}

package io.pretext.model.backend;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Threads used by native code in this JVM: libnd4j's own pools, OpenMP (libnd4j and oneDNN) and OpenBLAS. Set it
 * when several training tasks share one process (Spark local mode runs every worker in the driver JVM), so that
 * workers x threads does not oversubscribe the cores. For separate executor JVMs the equivalent is the environment
 * variables {@code OMP_NUM_THREADS} and {@code OPENBLAS_NUM_THREADS}.
 *
 * <p>OpenMP's thread count is a per-thread setting: {@code omp_set_num_threads} (what
 * {@code NativeOps.setOmpNumThreads} calls) changes it for the calling thread only, and every other thread keeps the
 * process default, the number of cores. oneDNN's kernels run an OpenMP team of that size from whichever thread calls
 * them. So {@link #set} on the Spark driver's main thread did not reach the executor task threads that train: in
 * local mode with 2 workers on 2 cores each worker ran oneDNN with 2 OpenMP threads, 4 spinning threads on 2 cores,
 * and two workers trained slower than one (docs/performance.md). {@link #set} records the count;
 * {@link #applyToCurrentThread()} must then run on each thread that trains (a DL4J training hook does it for the
 * Spark workers).
 */
public final class NativeThreads {

  /** The count given to {@link #set}, or 0 when it was never called in this JVM. */
  private static volatile int configured;

  private NativeThreads() {
  }

  /**
   * Sets the JVM-wide pools (libnd4j, OpenBLAS) and the calling thread's OpenMP team size to {@code threads}, and
   * records it for {@link #applyToCurrentThread()}.
   */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("native threads must be >= 1, got " + threads);
    }
    configured = threads;
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }

  /**
   * Gives the calling thread the OpenMP team size recorded by {@link #set}; does nothing if {@link #set} was never
   * called in this JVM (then {@code OMP_NUM_THREADS} or the number of cores applies). Cheap: call it before every
   * minibatch of a thread that may be new.
   */
  public static void applyToCurrentThread() {
    int threads = configured;
    if (threads > 0) {
      NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
  }

  /** The count recorded by {@link #set}, or 0 if it was never called in this JVM. */
  public static int configured() {
    return configured;
  }
}

package io.pretext.jobs.train.worker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.CheckedAllReduce;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.RabitTracker;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One worker's membership of a ring all-reduce: XGBoost4J's collective (Rabit's successor: a ring all-reduce over TCP,
 * the workers found through a tracker), which xgboost4j-spark runs the same way in Spark's barrier mode.
 *
 * <p>XGBoost's communicator is thread-local: a worker joins, sums and leaves on the task's own thread. A worker blocked
 * in a native receive does not see Spark's kill. A peer whose process dies closes its sockets, and the blocked
 * all-reduce fails at once; a peer that hangs without closing them is waited for at most {@code timeoutSeconds}
 * (XGBoost's {@code dmlc_timeout}, given to {@link #join}), after which the task fails and Spark retries the stage. The
 * timeout must therefore exceed the longest wait for a peer still fitting its round ({@code
 * spark.pretext.allreduce.timeoutSeconds}, default 300). Spark's own {@code BarrierTaskContext.barrier()} would be
 * interruptible but polls once a second, which costs a second per round; the round's first, small all-reduce is its
 * synchronisation point instead.
 */
final class Collective implements AutoCloseable {
  private ByteBuffer buffer;

  private Collective() {}

  /** The tracker the workers rendezvous at, run by the first worker. */
  static final class Tracker implements AutoCloseable {
    private final RabitTracker tracker;
    private final String address;

    /** Starts a tracker for {@code workers} on {@code host}, on a free port. */
    Tracker(int workers, String host, int timeoutSeconds) {
      try {
        tracker = new RabitTracker(workers, host, 0, timeoutSeconds);
        tracker.start();
        Map<String, Object> args = tracker.getWorkerArgs();
        address = args.get("dmlc_tracker_uri") + ":" + args.get("dmlc_tracker_port");
      } catch (XGBoostError e) {
        throw new IllegalStateException("cannot start the all-reduce tracker on " + host + ": " + e.getMessage(), e);
      }
    }

    /** {@code host:port}, what {@link #join} needs. */
    String address() {
      return address;
    }

    @Override
    public void close() {
      try {
        tracker.stop();
      } catch (XGBoostError | RuntimeException e) {
        // the workers' shutdown already ended the session, or a failed stage left it half-open: nothing to keep
      }
    }
  }

  /**
   * Joins the ring of the tracker at {@code trackerAddress} as task {@code task} (ranks follow task ids).
   *
   * @throws IllegalStateException if the tracker cannot be reached or the ring does not form within the timeout
   */
  static Collective join(String trackerAddress, int task, int timeoutSeconds) {
    int colon = trackerAddress.lastIndexOf(':');
    Map<String, Object> env = new HashMap<>();
    env.put("dmlc_communicator", "rabit");
    env.put("dmlc_tracker_uri", trackerAddress.substring(0, colon));
    env.put("dmlc_tracker_port", Integer.parseInt(trackerAddress.substring(colon + 1)));
    env.put("dmlc_task_id", Integer.toString(task));
    env.put("dmlc_timeout", timeoutSeconds);
    env.put("dmlc_retry", 3);
    try {
      Communicator.init(env);
    } catch (XGBoostError e) {
      throw new IllegalStateException("task " + task + " cannot join the all-reduce ring at " + trackerAddress + ": " + e.getMessage(), e);
    }
    return new Collective();
  }

  /** This worker's rank and the ring's size. */
  static int[] rankAndSize() {
    try {
      return new int[] {Communicator.getRank(), Communicator.getWorldSize()};
    } catch (XGBoostError e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Replaces {@code values} by their element-wise sum over every worker (float32 SUM; all workers receive the same
   * bits: the ring reduces each chunk once and passes the result around).
   *
   * @throws IllegalStateException if the all-reduce failed
   */
  void sum(float[] values) {
    int bytes = Math.multiplyExact(values.length, Float.BYTES);
    if (buffer == null || buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(Math.max(bytes, 1024)).order(ByteOrder.nativeOrder());
    }
    buffer.clear();
    FloatBuffer f = buffer.asFloatBuffer();
    f.put(values);
    try {
      CheckedAllReduce.sum(buffer, values.length);
    } catch (XGBoostError e) {
      throw new IllegalStateException("all-reduce of " + values.length + " floats failed: " + e.getMessage(), e);
    }
    f.rewind();
    f.get(values);
  }

  /** Leaves the ring (a failed peer may make this fail: that is ignored, the stage is failing anyway). */
  @Override
  public void close() {
    try {
      Communicator.shutdown();
    } catch (XGBoostError | RuntimeException e) {
      // nothing to release beyond what the failing stage releases
    }
    buffer = null;
  }
}

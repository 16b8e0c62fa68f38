package ml.dmlc.xgboost4j.java;

import java.nio.ByteBuffer;

/**
 * XGBoost4J's float32 SUM all-reduce over a caller's direct buffer, with the native call's error checked. XGBoost4J's
 * public {@code Communicator.allReduce(float[], OpType)} ignores the native call's return code (a failed all-reduce
 * returns the caller's own values as if they were the sum) and copies through a new direct buffer element by element on
 * every call; the native entry point it wraps is package-private, hence this class in XGBoost4J's package. Nothing
 * else of XGBoost is used.
 */
public final class CheckedAllReduce {
  private CheckedAllReduce() {}

  /**
   * Sums the first {@code count} floats of {@code buffer} (direct, native byte order) over every worker of the
   * thread's communicator, in place.
   *
   * @throws XGBoostError with XGBoost's message if the all-reduce failed (a peer died or the timeout passed)
   */
  public static void sum(ByteBuffer buffer, int count) throws XGBoostError {
    XGBoostJNI.checkCall(XGBoostJNI.CommunicatorAllreduce(buffer, count, Communicator.DataType.FLOAT32.getEnumOp(),
        Communicator.OpType.SUM.getOperand()));
  }
}

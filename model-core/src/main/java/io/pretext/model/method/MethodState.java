package io.pretext.model.method;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Driver-side state a method keeps across rounds that is not part of the network's parameters (MoCo's queue of keys,
 * DeepCluster's cluster assignments). The training driver calls the epoch hooks, every checkpoint stores
 * {@link #save()} next to the model, and {@code --resume} hands it back to {@link #restore} before training continues.
 *
 * <p>State that is a function of the parameters belongs in the graph instead (see {@link SslMethod}).
 */
public interface MethodState {

  /** No state: hooks do nothing, nothing is saved. */
  MethodState NONE = new MethodState() { };

  /** Before the first round of {@code epoch} (0-based) is trained. */
  default void onEpochStart(int epoch, ComputationGraph network) {
  }

  /** After the last round of {@code epoch} (0-based). */
  default void onEpochEnd(int epoch, ComputationGraph network) {
  }

  /**
   * The state in the method's own binary format, stored in every checkpoint; empty when there is none. The format must
   * not be Java serialisation: checkpoints are files a user may receive from elsewhere.
   */
  default byte[] save() {
    return new byte[0];
  }

  /**
   * Restores what {@link #save()} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not a state this method wrote (they come from a file)
   */
  default void restore(byte[] saved) {
    if (saved.length != 0) {
      throw new IllegalArgumentException("this method keeps no state, but the checkpoint holds " + saved.length + " bytes of it");
    }
  }
}

package io.pretext.model.method;

import io.pretext.model.lifecycle.MethodContext;
import io.pretext.model.lifecycle.RecordTable;
import io.pretext.model.lifecycle.RoundContributions;
import java.io.Serializable;
import java.util.Optional;
import java.util.Set;

/**
 * A method's driver-side state across rounds that is not network weights (MoCo's queue of keys, DeepCluster's cluster
 * assignments), and the hooks through which it follows the run (the lifecycle is drawn in
 * {@link io.pretext.model.lifecycle}):
 *
 * <ul>
 *   <li>{@link #onEpochStart} / {@link #onEpochEnd}: at epoch boundaries, with a {@link MethodContext} (the dataset
 *       embedded on the executors, clustering tools, per-record tables, metrics);
 *   <li>{@link #forWorkers}: what every worker of the next round reads (broadcast once per round);
 *   <li>{@link #onRoundEnd}: the state the round's workers sent back, merged by each part's rule;
 *   <li>{@link #recordTable}: labels and sampling weights the batch makers join to the records by id;
 *   <li>{@link #save} / {@link #restore}: stored in every checkpoint, handed back on {@code --resume} before training
 *       continues, so a resumed run continues exactly.
 * </ul>
 *
 * <p>Where the per-round hooks run: with averaging through the driver ({@code --sync driver}), on the driver every
 * round. With averaging among the workers ({@code --sync allreduce}) several rounds train in one Spark stage, so every
 * worker runs a replica of the state for the stage: made with {@code SslMethod.newState} and {@link #restore} from the
 * driver's {@link #save}, asked for {@link #forWorkers} before each round and handed the merged parts after it; the
 * driver restores the first worker's {@link #save} when the stage ends. A state whose {@code forWorkers()} is not null
 * must therefore be a deterministic function of its saved bytes and the parts it receives, and must not need Spark in
 * {@link #forWorkers} or {@link #onRoundEnd} (MoCo's queue and the GAN's generator are).
 *
 * <p>State that is a function of the parameters belongs in the graph instead (BYOL's and MoCo's momentum encoders are
 * frozen vertices), so that averaging, broadcasting and checkpoints carry it with the weights.
 */
public interface MethodState {

  /** No state: hooks do nothing, nothing is saved. */
  MethodState NONE = new MethodState() { };

  /** Before the first round of {@link MethodContext#epoch()}; not called again for an epoch resumed mid-way. */
  default void onEpochStart(MethodContext context) {
  }

  /** After the last round of {@link MethodContext#epoch()}, before the epoch's checkpoint. */
  default void onEpochEnd(MethodContext context) {
  }

  /**
   * What the workers of the next round read, broadcast once per round and handed to
   * {@link SslMethod#workerSteps}; null (the default) when they need nothing. Must be small and immutable.
   */
  default Serializable forWorkers() {
    return null;
  }

  /** The state parts the round's workers sent, merged (rounds arrive in order). */
  default void onRoundEnd(RoundContributions merged) {
  }

  /** The per-record labels and weights the current epoch's batches join by record id, if any. */
  default Optional<RecordTable> recordTable() {
    return Optional.empty();
  }

  /**
   * Names of the run's per-record tables the state refers to ({@link MethodContext#saveLabels}); the run keeps
   * them while a kept checkpoint or the live state names them, and deletes the rest.
   */
  default Set<String> tables() {
    return Set.of();
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

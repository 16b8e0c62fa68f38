package io.pretext.jobs.train;

import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.method.MethodState;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a checkpoint (the network, the method's state with the names of the tables it refers to, and run.json) every
 * {@code every} rounds and at the end, keeping the newest {@code keep}.
 */
public final class Checkpointer implements RoundListener {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  private final RunDirectory run;
  private final RunInfo base;
  private final MethodState state;
  private final Map<String, byte[]> files;
  private final int every;
  private final int keep;
  private final int roundsPerEpoch;
  private final LongFunction<Optional<Path>> staged;
  private long lastSaved = -1;
  private double lastLoss = Double.NaN;

  /**
   * @param files written into every checkpoint as they are (a text run's vocabulary)
   * @param staged where the trainer already wrote the model after a number of rounds
   *     ({@link DistributedTrainer#stagedModel}): the checkpoint takes that directory over instead of writing the
   *     driver's copy of the network
   */
  public Checkpointer(RunDirectory run, RunInfo base, MethodState state, Map<String, byte[]> files, int every, int keep,
      int roundsPerEpoch, LongFunction<Optional<Path>> staged) {
    this.staged = staged;
    this.run = run;
    this.base = base;
    this.state = state;
    this.files = Map.copyOf(files);
    this.every = every;
    this.keep = keep;
    this.roundsPerEpoch = roundsPerEpoch;
  }

  /** A due checkpoint at the last round of an epoch waits for {@link #onEpochEnd}, after the method's epoch hook. */
  @Override
  public void onRound(RoundReport r, ComputationGraph network) {
    lastLoss = r.loss();
    if (r.roundsDone() % every == 0 && r.roundsDone() % roundsPerEpoch != 0) {
      save(r.roundsDone(), network, false);
    }
  }

  @Override
  public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
    if (roundsDone % every == 0) {
      save(roundsDone, network, false);
    }
  }

  @Override
  public void onEnd(long roundsDone, ComputationGraph network) {
    save(roundsDone, network, true);
  }

  private void save(long roundsDone, ComputationGraph network, boolean complete) {
    if (roundsDone == lastSaved && !complete) {
      return;
    }
    RunInfo info = base.at((int) (roundsDone / roundsPerEpoch), (int) (roundsDone % roundsPerEpoch), roundsDone,
        network.getConfiguration().getIterationCount(), lastLoss, complete);
    Optional<Path> written = staged.apply(roundsDone);
    if (written.isPresent()) {
      run.commit(written.get(), info, state.save(), state.tables(), files, keep);
    } else {
      run.save(network, info, state.save(), state.tables(), files, keep);
    }
    lastSaved = roundsDone;
    LOG.info("checkpoint: {} rounds done{}", roundsDone, complete ? " (final)" : "");
  }
}

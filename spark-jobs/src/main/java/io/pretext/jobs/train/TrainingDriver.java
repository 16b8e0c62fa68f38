package io.pretext.jobs.train;

import io.pretext.data.batches.TrainingBatches;
import io.pretext.model.method.MethodState;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Owns the training loop and nothing else: for every epoch it runs the method state's epoch hooks and lays out the
 * epoch's records; for every round it asks the {@link TrainingBatches} for the round's minibatches, has the
 * {@link DistributedTrainer} fit them (one or several rounds per call, as the engine says; the engine runs the state's
 * per-round hooks), and tells the listeners about every round. Starting at a later (epoch, round) resumes a run: batches are a pure function of
 * (seed, epoch, round) and of the restored state, so the rounds that follow are the ones an uninterrupted run would
 * have done.
 */
public final class TrainingDriver {
  private final DistributedTrainer trainer;
  private final TrainingBatches batches;
  private final int epochs;
  private final List<RoundListener> listeners;
  private final MethodState state;
  private final MethodContexts contexts;
  private long unitsTrained;

  public TrainingDriver(DistributedTrainer trainer, TrainingBatches batches, int epochs, MethodState state, MethodContexts contexts,
      List<RoundListener> listeners) {
    if (batches.roundsPerEpoch() < 1) {
      throw new IllegalArgumentException("the dataset has " + batches.records() + " records, fewer than one round needs ("
          + batches.layout().recordsPerRound() + " = workers x batch size per worker x averaging frequency); "
          + "lower --batch-size-per-worker or --averaging-frequency");
    }
    this.trainer = trainer;
    this.batches = batches;
    this.epochs = epochs;
    this.listeners = List.copyOf(listeners);
    this.state = state;
    this.contexts = contexts;
  }

  /** Images (or real tokens) trained by this driver so far: {@link TrainingBatches#units} summed over its rounds. */
  public long unitsTrained() {
    return unitsTrained;
  }

  public long totalRounds() {
    return (long) epochs * batches.roundsPerEpoch();
  }

  /** Trains from ({@code startEpoch}, {@code startRound}) to the end; returns the rounds done in total. */
  public long run(int startEpoch, int startRound) {
    try {
      return loop(startEpoch, startRound);
    } finally {
      batches.close();
    }
  }

  private long loop(int startEpoch, int startRound) {
    int perEpoch = batches.roundsPerEpoch();
    long total = totalRounds();
    long begin = System.nanoTime();
    Progress progress = new Progress((long) startEpoch * perEpoch + startRound);
    ComputationGraph net = trainer.network();
    for (int epoch = startEpoch; epoch < epochs; epoch++) {
      long t0 = System.nanoTime();
      if (epoch != startEpoch || startRound == 0) {
        state.onEpochStart(contexts.at(epoch, progress.roundsDone));
      }
      long t1 = System.nanoTime();
      batches.startEpoch(epoch);
      double layoutSeconds = (System.nanoTime() - t1) / 1e9;
      for (RoundListener l : listeners) {
        l.onEpochStart(epoch, (t1 - t0) / 1e9, layoutSeconds);
      }
      int round = epoch == startEpoch ? startRound : 0;
      while (round < perEpoch) {
        int calls = trainer.roundsPerCall(progress.roundsDone, perEpoch - round);
        List<JavaRDD<MultiDataSet>> data = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
          data.add(batches.round(epoch, round + i));
        }
        int first = round;
        int thisEpoch = epoch;
        trainer.fitRounds(progress.roundsDone, data, state, (i, stats) -> {
          long units = batches.units(thisEpoch, first + i);
          unitsTrained += units;
          progress.roundsDone++;
          progress.trainedRounds++;
          double seconds = stats.wallMillis() / 1000.0;
          progress.trainedSeconds += seconds;
          double eta = (total - progress.roundsDone) * (progress.trainedSeconds / progress.trainedRounds);
          RoundReport report = new RoundReport(thisEpoch, first + i, progress.roundsDone, total, stats.loss(), learningRate(net),
              units, seconds, stats.viewMillis() / 1000.0, stats.workerFitMillis() / 1000.0, stats.averagingMillis() / 1000.0,
              (System.nanoTime() - begin) / 1e9, eta);
          for (RoundListener l : listeners) {
            l.onRound(report, net);
          }
        });
        round += calls;
      }
      state.onEpochEnd(contexts.at(epoch, progress.roundsDone));
      for (RoundListener l : listeners) {
        l.onEpochEnd(epoch, progress.roundsDone, net);
      }
    }
    for (RoundListener l : listeners) {
      l.onEnd(progress.roundsDone, net);
    }
    return progress.roundsDone;
  }

  /** Counters the round sink advances; the one count of rounds done. */
  private static final class Progress {
    long roundsDone;
    long trainedRounds;
    double trainedSeconds;

    Progress(long roundsDone) {
      this.roundsDone = roundsDone;
    }
  }

  /** The current learning rate of the first layer that has one (schedules are per network, not per layer). */
  private static double learningRate(ComputationGraph net) {
    for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
      Double lr = net.getLearningRate(layer.conf().getLayer().getLayerName());
      if (lr != null) {
        return lr;
      }
    }
    return Double.NaN;
  }
}

package io.pretext.jobs.train.worker;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.pretext.jobs.run.ModelFiles;
import io.pretext.model.backend.NativeThreads;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StatePart;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.SslMethod;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * One worker's segment under the all-reduce trainer, a task of a barrier stage: its partition holds the worker's
 * minibatches of several rounds, keyed (worker, round, index) and sorted. The worker joins the ring (the first worker
 * runs the tracker and the others learn its address through {@code BarrierTaskContext.allGather}), takes a network
 * holding the segment's start (its own from the last segment if labelled so, else the driver's broadcast parameters,
 * else the model on storage), replicates the method's state, and for every round fits its minibatches with the
 * method's worker steps (the same step as {@link WorkerLoop}), then averages with the others ({@link RingRound}) and
 * hands the merged state parts to its replica of the method state. The first worker reports each round to the driver
 * ({@link RoundChannel}) and writes the model after the last round; the network goes back labelled with the version
 * it holds.
 */
final class SegmentLoop implements FlatMapFunction<Iterator<Tuple2<Long, MultiDataSet>>, SegmentLoop.Outcome> {
  private static final long serialVersionUID = 1L;

  /** What the first worker returns: every round's figures, the method state's {@code save()} (null: not replicated). */
  @DefaultSerializer(JavaSerializer.class)
  record Outcome(List<RoundChannel.Figures> figures, byte[] methodState) implements Serializable {}

  private final Broadcast<String> configuration;
  private final Broadcast<SerializableConfiguration> hadoop;
  private final Broadcast<SegmentStart> start;
  private final SslMethod method;
  private final RunPlan plan;

  SegmentLoop(Broadcast<String> configuration, Broadcast<SerializableConfiguration> hadoop, Broadcast<SegmentStart> start,
      SslMethod method, RunPlan plan) {
    this.configuration = configuration;
    this.hadoop = hadoop;
    this.start = start;
    this.method = method;
    this.plan = plan;
  }

  /** Key of a minibatch: worker (16 bits), round within the segment (24), index within the round (24). */
  static long key(int worker, int round, int index) {
    return ((long) worker << 48) | ((long) round << 24) | index;
  }

  static int workerOf(long key) {
    return (int) (key >>> 48);
  }

  static int roundOf(long key) {
    return (int) ((key >>> 24) & 0xFFFFFF);
  }

  @Override
  public Iterator<Outcome> call(Iterator<Tuple2<Long, MultiDataSet>> batches) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    int worker = ctx.partitionId();
    int workers = ctx.getTaskInfos().length;
    SegmentStart s = start.value();
    NativeThreads.applyToCurrentThread();
    Collective.Tracker tracker = worker == 0 ? new Collective.Tracker(workers, hostOf(ctx), s.timeoutSeconds) : null;
    try {
      String trackerAddress = ctx.allGather(tracker == null ? "" : tracker.address())[0];
      try (Collective ring = Collective.join(trackerAddress, worker, s.timeoutSeconds)) {
        return train(ctx, ring, worker, workers, s, batches);
      }
    } finally {
      if (tracker != null) {
        tracker.close();
      }
    }
  }

  private Iterator<Outcome> train(BarrierTaskContext ctx, Collective ring, int worker, int workers, SegmentStart s,
      Iterator<Tuple2<Long, MultiDataSet>> batches) {
    String json = configuration.value();
    String startVersion = SegmentStart.version(s.token, s.startRounds);
    WorkerNetworks.Borrowed borrowed = WorkerNetworks.borrow(json, startVersion);
    ComputationGraph net = borrowed.network();
    String endVersion = null;
    try {
      if (s.params != null) {
        WorkerLoop.set(net, s.params);
      } else if (!startVersion.equals(borrowed.version())) {
        load(net, s.modelDir);
      }
      MethodState replica = null;
      if (s.methodState != null) {
        replica = method.newState(plan);
        replica.restore(s.methodState);
      }
      List<RoundChannel.Figures> figures = new ArrayList<>();
      PeekingIterator<Tuple2<Long, MultiDataSet>> in = new PeekingIterator<>(batches);
      try (RoundChannel.Sender channel = worker == 0 ? new RoundChannel.Sender(s.channel, s.channelToken) : null) {
        for (int round = 0; round < s.rounds; round++) {
          long r0 = System.nanoTime();
          ComputationGraphConfiguration conf = net.getConfiguration();
          int startIteration = conf.getIterationCount();
          WorkerSteps steps = method.workerSteps(replica == null ? null : replica.forWorkers(), plan);
          double lossSum = 0;
          int count = 0;
          long nanos = 0;
          while (in.hasNext() && roundOf(in.peek()._1()) == round) {
            Tuple2<Long, MultiDataSet> next = in.next();
            if (workerOf(next._1()) != worker) {
              throw new IllegalStateException("worker " + worker + " received a minibatch of worker " + workerOf(next._1()));
            }
            long t0 = System.nanoTime();
            lossSum += s.gradients ? gradientStep(net, steps, next._2(), ring, workers) : WorkerLoop.step(net, steps, next._2());
            nanos += System.nanoTime() - t0;
            count++;
          }
          List<StatePart> parts = count == 0 ? List.of() : RingRound.sent(steps.endOfRound());
          float[] params = WorkerLoop.floats(net.params());
          INDArray updaterView = WorkerLoop.updaterState(net);
          float[] updater = updaterView == null ? null : WorkerLoop.floats(updaterView);
          RingRound.Outcome o = RingRound.reduce(ring, worker, workers, plan.batchesPerWorker(), params, updater, lossSum, count,
              nanos / 1e6, parts);
          WorkerLoop.set(net, new RoundStart(params, updater, startIteration + o.maxSteps(), conf.getEpochCount(), null));
          if (replica != null) {
            replica.onRoundEnd(o.contributions());
          } else if (!o.contributions().parts().isEmpty()) {
            throw new IllegalStateException("method " + method.name() + " sends worker state but gives the workers none: under --sync"
                + " allreduce its state is replicated on the workers from what it gives them; use --sync driver");
          }
          RoundChannel.Figures f = new RoundChannel.Figures(s.startRounds, round, o.steps() == 0 ? Double.NaN : o.lossSum() / o.steps(),
              o.fitMillis() / Math.max(1, o.trained()), (System.nanoTime() - r0) / 1_000_000, conf.getIterationCount());
          figures.add(f);
          if (channel != null) {
            channel.send(f);
          }
        }
      }
      if (worker == 0) {
        write(net, s.stagingDir);
      }
      endVersion = SegmentStart.version(s.token, s.startRounds + s.rounds);
      Outcome out = worker == 0 ? new Outcome(figures, replica == null ? null : replica.save()) : null;
      return out == null ? Collections.emptyIterator() : Collections.singletonList(out).iterator();
    } finally {
      WorkerNetworks.giveBack(json, net, endVersion);
    }
  }

  /**
   * One step of synchronous data-parallel SGD: this worker's minibatch's gradient, summed over the ring and divided by
   * the workers, then the optimiser's update, as DL4J's {@code StochasticGradientDescent.optimize} applies it (the
   * updater, including weight decay, then {@code params -= update}, then the iteration count). Every worker must take
   * the same number of steps (the round layout gives each the same minibatches). With a per-example mean loss and no
   * batch norm, the averaged gradient of W minibatches of b records is the gradient of their union, so W workers step
   * exactly as one worker with the combined minibatch would (AllReduceGradientsTest); batch norm normalises with each
   * worker's own minibatch statistics, whose running averages are averaged at the round's end.
   */
  static double gradientStep(ComputationGraph net, WorkerSteps steps, MultiDataSet next, Collective ring, int workers) {
    MultiDataSet batch = steps.beforeStep(net, next);
    double regularisation = net.calcRegularizationScore(true);
    net.setInputs(batch.getFeatures());
    net.setLabels(batch.getLabels());
    net.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
    net.computeGradientAndScore();
    double loss = net.score() - regularisation;
    INDArray gradient = net.getGradientsViewArray();
    float[] g = WorkerLoop.floats(gradient);
    ring.sum(g);
    for (int i = 0; i < g.length; i++) {
      g[i] /= workers;
    }
    gradient.assign(Nd4j.createFromArray(g).reshape(gradient.shape()));
    ComputationGraphConfiguration conf = net.getConfiguration();
    net.getUpdater(true).update(net.gradient(), conf.getIterationCount(), conf.getEpochCount(), (int) batch.getFeatures(0).size(0),
        LayerWorkspaceMgr.noWorkspaces());
    net.params().subi(gradient.reshape(net.params().shape()));
    conf.setIterationCount(conf.getIterationCount() + 1);
    net.applyConstraints(conf.getIterationCount(), conf.getEpochCount());
    net.clearLayerMaskArrays();
    net.clearLayersStates();
    WorkerLoop.afterStep(net, steps, batch, loss);
    return loss;
  }

  /** Sets {@code net} to the model in {@code dir}: parameters, optimiser state, iteration and epoch counts. */
  private void load(ComputationGraph net, String dir) {
    if (dir == null) {
      throw new IllegalStateException("this worker holds no network at the segment's start and no model was named to load");
    }
    Path p = new Path(dir);
    try {
      WorkerLoop.set(net, RoundStart.of(ModelFiles.read(p.getFileSystem(hadoop.value().value()), p), null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the segment's start model " + dir + ": " + e.getMessage(), e);
    }
  }

  private void write(ComputationGraph net, String dir) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(hadoop.value().value());
      fs.mkdirs(p);
      ModelFiles.write(net, fs, p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The host of the first task's executor, where the tracker listens. */
  private static String hostOf(BarrierTaskContext ctx) {
    String address = ctx.getTaskInfos()[0].address();
    int colon = address.lastIndexOf(':');
    return colon > 0 ? address.substring(0, colon) : address;
  }

  /** An iterator that can look at its next element. */
  private static final class PeekingIterator<T> implements Iterator<T> {
    private final Iterator<T> in;
    private T next;

    PeekingIterator(Iterator<T> in) {
      this.in = in;
    }

    T peek() {
      if (next == null) {
        next = in.next();
      }
      return next;
    }

    @Override
    public boolean hasNext() {
      return next != null || in.hasNext();
    }

    @Override
    public T next() {
      T out = peek();
      next = null;
      return out;
    }
  }
}

package io.pretext.model.method.moco;

import io.pretext.model.lifecycle.Merge;
import io.pretext.model.lifecycle.StatePart;
import io.pretext.model.lifecycle.StepResult;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.momentum.MomentumEncoder;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MoCo on one worker for one round: before each step the worker's copy of the queue becomes the graph's second input;
 * after it the key encoder takes its momentum step ({@code key <- m key + (1 - m) query}) and the step's keys, read
 * from the forward pass it just ran ({@link Moco#KEYS}, L2-normalised), are enqueued in the copy and kept for the
 * driver.
 *
 * <p>The copy is one {@code [K, D]} array for the round, a ring: the step's keys overwrite the oldest rows in place
 * (the loss treats the queue as a set of negatives, so the rows' order does not matter), and no queue-sized array is
 * allocated per step.
 */
final class MocoSteps implements WorkerSteps {
  private final double momentum;
  private final int size;
  private final int dim;
  private final float[] start;
  private INDArray queue;
  private long head;
  private final List<float[]> added = new ArrayList<>();
  private MomentumEncoder keyEncoder;

  MocoSteps(KeyQueue.Snapshot start, double momentum) {
    this.start = start.keys();
    this.size = start.size();
    this.dim = start.dim();
    this.momentum = momentum;
  }

  @Override
  public MultiDataSet beforeStep(ComputationGraph network, MultiDataSet batch) {
    INDArray views = batch.getFeatures(0);
    if (queue == null) {
      try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        queue = Nd4j.create(start, new long[] {size, dim}, 'c').castTo(views.dataType());
      }
    }
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {views, queue}, batch.getLabels(), null, null);
  }

  @Override
  public void afterStep(ComputationGraph network, MultiDataSet batch, StepResult step) {
    if (keyEncoder == null) {
      keyEncoder = MomentumEncoder.of(network, Moco.KEY);
    }
    keyEncoder.ema(network, momentum);
    INDArray k = step.captured(Moco.KEYS);
    INDArray unit = k.div(k.norm2(true, 1));
    long rows = unit.size(0);
    long from = Math.max(0, rows - size); // the newest `size` keys of the step, if it made more than the queue holds
    while (from < rows) { // at most two blocks: up to the ring's end, then from its start
      long n = Math.min(rows - from, size - head);
      queue.get(NDArrayIndex.interval(head, head + n), NDArrayIndex.all())
          .assign(unit.get(NDArrayIndex.interval(from, from + n), NDArrayIndex.all()));
      head = (head + n) % size;
      from += n;
    }
    added.add(unit.castTo(DataType.FLOAT).dup('c').data().asFloat());
  }

  @Override
  public List<StatePart> endOfRound() {
    return List.of(StatePart.concat(KeyQueue.KEYS, dim, added), new StatePart(KeyQueue.LOCAL, Merge.KEEP_DRIVER, dim, List.of()));
  }
}

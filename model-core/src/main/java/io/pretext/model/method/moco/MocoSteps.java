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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MoCo on one worker for one round: before each step the worker's copy of the queue becomes the graph's second input;
 * after it the key encoder takes its momentum step ({@code key <- m key + (1 - m) query}) and the step's keys, read
 * from the forward pass it just ran ({@link Moco#KEYS}, L2-normalised), are enqueued in the copy and kept for the
 * driver.
 */
final class MocoSteps implements WorkerSteps {
  private final double momentum;
  private final int size;
  private final int dim;
  private float[] queue;
  private final List<float[]> added = new ArrayList<>();
  private MomentumEncoder keyEncoder;

  MocoSteps(KeyQueue.Snapshot start, double momentum) {
    this.queue = start.keys().clone();
    this.size = start.size();
    this.dim = start.dim();
    this.momentum = momentum;
  }

  @Override
  public MultiDataSet beforeStep(ComputationGraph network, MultiDataSet batch) {
    INDArray views = batch.getFeatures(0);
    INDArray q = Nd4j.create(queue, new long[] {size, dim}, 'c').castTo(views.dataType());
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {views, q}, batch.getLabels(), null, null);
  }

  @Override
  public void afterStep(ComputationGraph network, MultiDataSet batch, StepResult step) {
    if (keyEncoder == null) {
      keyEncoder = MomentumEncoder.of(network, Moco.KEY);
    }
    keyEncoder.ema(network, momentum);
    INDArray k = step.captured(Moco.KEYS).castTo(DataType.FLOAT);
    float[] keys = k.div(k.norm2(true, 1)).dup('c').data().asFloat();
    queue = KeyQueue.append(queue, keys);
    added.add(keys);
  }

  @Override
  public List<StatePart> endOfRound() {
    return List.of(StatePart.concat(KeyQueue.KEYS, dim, added), new StatePart(KeyQueue.LOCAL, Merge.KEEP_DRIVER, dim, List.of()));
  }
}

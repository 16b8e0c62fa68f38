package io.pretext.model.head;

import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Re-initialises one dense layer of a trained graph, as DeepCluster does with its classifier before every epoch (the
 * pseudo-labels of the new clustering are a new, unrelated labelling): weights Xavier-uniform
 * ({@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))}, Glorot &amp; Bengio 2010) from a seeded stream, biases zero,
 * and the optimiser's state for those parameters zero (a fresh Adam for the layer, the rest of the network's state
 * untouched), so the result is a pure function of the seed.
 */
public final class FreshHead {
  private FreshHead() {}

  /**
   * @param layer name of a layer with parameters {@code W [in, out]} and optionally {@code b}
   * @return how many parameters were reset
   * @throws IllegalArgumentException if the graph has no such layer or it has no weight matrix
   */
  public static long reset(ComputationGraph graph, String layer, long seed) {
    Layer l = graph.getConfiguration().getVertices().containsKey(layer) ? graph.getLayer(layer) : null;
    if (l == null || !l.paramTable().containsKey("W")) {
      throw new IllegalArgumentException("the graph has no layer '" + layer + "' with a weight matrix W");
    }
    INDArray w = l.getParam("W");
    double a = Math.sqrt(6.0 / (w.size(0) + w.size(1)));
    SplittableRandom rng = new SplittableRandom(seed);
    double[] values = new double[(int) w.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (2 * rng.nextDouble() - 1) * a;
    }
    w.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values).castTo(w.dataType()).reshape(w.ordering(), w.shape()));
    if (l.paramTable().containsKey("b")) {
      l.getParam("b").assign(0);
    }
    zeroOptimiserState(graph, l);
    return l.numParams();
  }

  /** Zeroes every optimiser state array (Adam's m and v, ...) over the parameters of {@code layer}. */
  static void zeroOptimiserState(ComputationGraph graph, Layer layer) {
    ComputationGraphUpdater updater = graph.getUpdater(true);
    for (UpdaterBlock block : updater.getUpdaterBlocks()) {
      if (block.getGradientUpdater() == null) {
        continue;
      }
      Map<String, INDArray> state = block.getGradientUpdater().getState();
      if (state == null) {
        continue;
      }
      for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
        if (!p.getLayer().getConfig().getLayerName().equals(layer.conf().getLayer().getLayerName())) {
          continue;
        }
        long from = p.getParamOffsetStart() - block.getParamOffsetStart();
        long to = p.getParamOffsetEnd() - block.getParamOffsetStart();
        for (INDArray s : state.values()) {
          INDArray slice = s.rank() == 2 ? s.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to)) : s.get(NDArrayIndex.interval(from, to));
          slice.assign(0);
        }
      }
    }
  }
}

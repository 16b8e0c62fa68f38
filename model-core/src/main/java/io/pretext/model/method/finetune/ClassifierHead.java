package io.pretext.model.method.finetune;

import io.pretext.model.GraphSettings;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.layers.FusedBatchNorm;
import io.pretext.model.method.TokenTensors;
import io.pretext.model.loss.SparseSoftmaxCrossEntropy;
import io.pretext.model.optim.DelayedSchedule;
import io.pretext.model.optim.OptimizerConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What fine-tuning adds to an encoder in a graph, for images and text alike: {@code representation [N, R] -> classifier
 * Dense(K) [N, K] -> LossLayer(SparseSoftmaxCrossEntropy)} with labels {@code [N, 1]}; the encoder's layers at the
 * run's schedule scaled by {@code --encoder-lr-scale} (discriminative learning rates, Howard and Ruder 2018) and, with
 * {@code --head-first}, held at zero while the classifier trains alone first ({@link #encoderUpdater}), and its first
 * {@code --freeze-layers} blocks (or all, {@code --frozen-encoder}) as DL4J {@link FrozenVertex}es whose batch norms
 * normalise with the pretrained running statistics ({@link FusedBatchNorm#setFixedStatistics}).
 */
final class ClassifierHead {
  /** The classifier layer, fresh for the labels' classes. */
  static final String CLASSIFIER = "classifier";
  /** The loss layer. */
  static final String LOSS = "loss";

  private ClassifierHead() {}

  /**
   * Adds the head to {@code graph}, builds it, and applies the learning-rate scale and the freezing.
   *
   * @param encoderVertices the vertices the encoder added, in order
   * @throws IllegalArgumentException if {@code --freeze-layers} names more blocks than the encoder has
   */
  static ComputationGraphConfiguration finish(GraphBuilder graph, List<String> encoderVertices, EncoderSpec encoder, FineTuneConfig config,
      GraphSettings settings) {
    graph.addLayer(CLASSIFIER, new DenseLayer.Builder().nIn(encoder.representationDim()).nOut(config.classes()).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER_UNIFORM).build(), EncoderSpec.REPRESENTATION);
    graph.addLayer(LOSS, new LossLayer.Builder(new SparseSoftmaxCrossEntropy()).activation(Activation.IDENTITY).build(), CLASSIFIER);
    graph.setOutputs(LOSS);
    ComputationGraphConfiguration conf = graph.build();

    Map<String, List<String>> blocks = EncoderBlocks.of(conf, encoderVertices, encoder);
    if (config.freezeBlocks() > blocks.size()) {
      throw new IllegalArgumentException("invalid value for --freeze-layers: '" + config.freezeBlocks() + "' (allowed: 0.." + blocks.size()
          + ", the blocks of encoder " + encoder.name() + ": " + String.join(", ", blocks.keySet()) + "; --frozen-encoder freezes all)");
    }
    IUpdater scaled = encoderUpdater(settings.optimizer(), config);
    Map<String, GraphVertex> vertices = conf.getVertices();
    for (String v : encoderVertices) {
      if (vertices.get(v) instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
        layer.setIUpdater(scaled.clone());
      }
    }
    Set<String> frozen = config.frozenEncoder() ? Set.copyOf(encoderVertices) : EncoderBlocks.first(blocks, config.freezeBlocks());
    for (String v : frozen) {
      // a frozen batch norm normalises with its running statistics, in training as in inference (as PyTorch's eval mode
      // for a frozen backbone): the classifier then trains on the features it will be applied to
      if (vertices.get(v) instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FusedBatchNorm bn) {
        bn.setFixedStatistics(true);
      }
      vertices.put(v, new FrozenVertex(vertices.get(v)));
    }
    return conf;
  }

  /**
   * The labels {@code [N, 1]} the loss reads, each checked to be one of the head's classes.
   *
   * @param example names example {@code i} for the message (a record id, a sequence index)
   * @throws IllegalArgumentException naming the example whose label is outside {@code 0..classes-1}
   */
  static INDArray labels(int[] labels, int classes, String method, IntFunction<String> example) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(method + ": " + example.apply(i) + " has label " + labels[i] + ", outside the model's classes 0.."
            + (classes - 1));
      }
    }
    return TokenTensors.column(labels);
  }

  /**
   * The encoder's optimiser: the run's, its peak scaled by {@code --encoder-lr-scale}; with {@code --head-first f},
   * zero for the first {@code round(f T)} of the run's {@code T} iterations, then its own warm-up (the run's, at most
   * what is left) and cosine over the rest.
   */
  static IUpdater encoderUpdater(OptimizerConfig o, FineTuneConfig config) {
    double peak = o.learningRate() * config.encoderLrScale();
    int start = (int) Math.round(config.headFirst() * o.totalIterations());
    if (start == 0) {
      return new OptimizerConfig(o.algorithm(), peak, o.weightDecay(), o.warmupIterations(), o.totalIterations()).updater();
    }
    int rest = Math.max(1, o.totalIterations() - start);
    OptimizerConfig after = new OptimizerConfig(o.algorithm(), peak, o.weightDecay(), Math.min(o.warmupIterations(), rest - 1), rest);
    return Adam.builder().learningRateSchedule(new DelayedSchedule(after.learningRateSchedule(), start)).build();
  }
}

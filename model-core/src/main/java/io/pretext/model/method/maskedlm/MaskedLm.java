package io.pretext.model.method.maskedlm;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import io.pretext.model.encoder.EncoderOutput;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.loss.SparseSoftmaxCrossEntropy;
import io.pretext.model.method.MaskPrediction;
import io.pretext.model.method.MaskedTokenPredictor;
import io.pretext.model.method.MlmEvaluation;
import io.pretext.model.method.TokenTensors;
import io.pretext.model.optim.TrainingPreset;
import io.pretext.model.transformer.GatherPositions;
import io.pretext.model.transformer.MlmTransform;
import io.pretext.model.transformer.TiedProjection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BERT's masked language model (Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional Transformers for
 * Language Understanding", Sec. 3.1, task 1) on a {@link Bert} encoder: predict the original token at each masked
 * position from the whole (masked) sequence.
 *
 * <p>Graph (two inputs):
 * <pre>
 *   input     [N, T] token ids, feature mask [N, T]  -> Bert encoder -> block_{L-1} [N, T, H], representation [N, H]
 *   positions [M, 1] masked positions n * T + t
 *   mlm_gather    GatherPositions(block_{L-1}, positions)     [M, H]   only the masked rows
 *   mlm_transform MlmTransform: dense H, GELU, LayerNorm      [M, H]
 *   mlm_logits    TiedProjection(mlm_transform, token_table)  [M, V]   x W^T + b, W tied to the token embeddings
 *   loss          LossLayer(SparseSoftmaxCrossEntropy)        labels [M, 1] original ids
 * </pre>
 * The representation vertex is a {@code FrozenVertex} off the loss path (see {@link #configure}).
 * The loss is the mean cross-entropy over the {@code M} masked tokens (DL4J divides by the labels' {@code M} rows),
 * as HuggingFace's {@code BertForMaskedLM}; the vocabulary projection costs {@code M * V * H} rather than
 * {@code N * T * V * H}, and no one-hot label array exists. The representation (embedding, evaluation, kNN) is the mean
 * of the final hidden states over the real tokens, {@link #represent}.
 *
 * <p>{@link #trainingBatch} layout ({@link org.nd4j.linalg.dataset.MultiDataSet}, all FLOAT):
 * <ul>
 *   <li>features: {@code [ids [N, T], positions [M, 1]]}, positions = {@link TokenBatch#maskedPositions()};</li>
 *   <li>feature masks: {@code [mask [N, T] (1 = real token, 0 = padding), null]};</li>
 *   <li>labels: {@code [targets [M, 1]]} = {@link TokenBatch#maskedLabels()}; no label mask.</li>
 * </ul>
 * DL4J counts a MultiDataSet's examples from its first features array ({@code N} sequences). Positions are flat
 * indices into this batch's own {@code [N, T]}: such a MultiDataSet must never be merged with or split into others
 * (DL4J's {@code IteratorMultiDataSetIterator} does that when a partition's batches do not all hold exactly the
 * configured batch size).
 *
 * <p>Inference: {@link #represent} ({@code [N, H]}), {@link #fillMask} and {@link #maskDistribution} (the model's
 * distribution at every {@code [MASK]} of an unmasked-target batch), and {@link #evaluate} (held-out masked-token
 * accuracy and perplexity, without training). Options: {@link MlmOptions}.
 */
public final class MaskedLm implements MaskedTokenPredictor {
  private static final long serialVersionUID = 1L;

  /** Method name. */
  public static final String NAME = "mlm";
  /** Name of the graph's second input, the masked positions. */
  public static final String POSITIONS = "positions";
  /** Gathered rows at the masked positions. */
  public static final String GATHER = "mlm_gather";
  /** The head's transform. */
  public static final String TRANSFORM = "mlm_transform";
  /** The tied vocabulary projection (logits). */
  public static final String LOGITS = "mlm_logits";
  /** Name of the loss layer (the graph's only output); its activations are the logits. */
  public static final String LOSS = "loss";

  /**
   * 4 epochs, AdamW at peak 1e-3 with weight decay 0.01 and a 0.1-epoch warm-up: BERT's decay (Devlin et al. 2019)
   * and the learning rate small BERTs train with on short sequences (the HuggingFace reference of the README's text
   * results).
   */
  public static final TrainingPreset TRAINING_PRESET = new TrainingPreset(4, 1e-3, 0.01, 0.1);

  private final MlmConfig config;

  public MaskedLm(MlmConfig config) {
    this.config = Objects.requireNonNull(config, "MaskedLm config is null; use MlmConfig.defaults()");
  }

  public MlmConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TrainingPreset trainingPreset() {
    return TRAINING_PRESET;
  }

  @Override
  public String representationVertex() {
    return EncoderSpec.REPRESENTATION;
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    return configure(encoder, input, settings.configurationBuilder());
  }

  /**
   * {@link #configure(EncoderSpec, ModelInput, GraphSettings)} from a given DL4J builder (gradient checks use one with
   * a no-op updater).
   */
  ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, NeuralNetConfiguration.Builder base) {
    TokenInput tokens = ModelInput.tokens(input, "masked-LM (--method " + NAME + ")");
    Bert bert = bert(encoder);
    GraphBuilder graph = base.graphBuilder().addInputs(INPUT, POSITIONS);
    EncoderOutput encoded = bert.addTo(graph, "", INPUT, tokens, config.dropout(), config.attentionDropout());
    if (!encoded.representationVertex().equals(representationVertex())) {
      throw new IllegalStateException("Encoder " + bert.name() + " named its representation vertex '"
          + encoded.representationVertex() + "', expected '" + representationVertex() + "'");
    }
    graph.addVertex(GATHER, new GatherPositions(), bert.sequenceOutput(""), POSITIONS);
    graph.addLayer(TRANSFORM, new MlmTransform(bert.hidden()), GATHER);
    graph.addVertex(LOGITS, new TiedProjection(), TRANSFORM, bert.tokenTable(""));
    graph.addLayer(LOSS, new LossLayer.Builder(new SparseSoftmaxCrossEntropy()).activation(Activation.IDENTITY).build(), LOGITS);
    graph.setOutputs(LOSS);
    // The representation is for inference only: nothing on the loss path consumes it, and DL4J's backprop fails on a
    // vertex that receives no gradient unless it is frozen (calcBackpropGradients skips FrozenVertex). It has no
    // parameters, so freezing changes nothing else; its forward pass (a masked mean) still runs during training.
    graph.allowDisconnected(true);
    ComputationGraphConfiguration conf = graph.build();
    conf.getVertices().put(representationVertex(), new FrozenVertex(conf.getVertices().get(representationVertex())));
    return conf;
  }

  private static Bert bert(EncoderSpec encoder) {
    Objects.requireNonNull(encoder, "masked-LM: encoder is null");
    if (encoder instanceof Bert b) {
      return b;
    }
    throw new IllegalArgumentException("masked-LM (--method " + NAME + ") needs a Transformer text encoder (" + Bert.TINY + ", "
        + Bert.MINI + " or " + Bert.SPEC_PREFIX + "layers=L,hidden=H,heads=A,ff=F), not " + encoder.name() + " ("
        + encoder.kind() + "); known encoders: " + Encoders.names());
  }

  /**
   * @throws IllegalArgumentException if the batch has no masked position (at least one target per batch is needed)
   *     or is too large for exact float positions ({@code N * T > 2^24})
   */
  @Override
  public MultiDataSet trainingBatch(TokenBatch batch) {
    Objects.requireNonNull(batch, "masked-LM: batch is null");
    if (batch.maskedPositions().length == 0) {
      throw new IllegalArgumentException("masked-LM: " + batch + " has no masked position; the masking recipe must choose "
          + "at least one target per batch (BERT chooses max(1, round(0.15 * length)) per sequence)");
    }
    INDArray targets = TokenTensors.column(batch.maskedLabels());
    return new org.nd4j.linalg.dataset.MultiDataSet(features(batch, batch.maskedPositions()), new INDArray[] {targets},
        featureMasks(batch), null);
  }

  /** {@code [ids [N, T], positions [M, 1]]}. */
  private static INDArray[] features(TokenBatch batch, int[] positions) {
    long cells = (long) batch.size() * batch.paddedLength();
    if (cells > (1L << 24)) {
      throw new IllegalArgumentException("masked-LM: " + batch + " has " + cells + " positions; at most 2^24 = 16777216 per "
          + "batch (positions travel as exact float values)");
    }
    return new INDArray[] {TokenTensors.ids(batch), TokenTensors.column(positions)};
  }

  /** {@code [mask [N, T], null]}: 1 on each sequence's first {@code lengths[i]} positions. */
  private static INDArray[] featureMasks(TokenBatch batch) {
    return new INDArray[] {TokenTensors.mask(batch), null};
  }


  /**
   * Sequence representations: the mean of the final hidden states over each sequence's real tokens, in inference mode
   * (no dropout). Masked positions and targets of {@code batch} are ignored.
   *
   * @param graph a graph this method built (or restored from its checkpoint)
   * @return {@code [N, H]}, detached from workspaces
   */
  @Override
  public INDArray represent(ComputationGraph graph, TokenBatch batch) {
    // The head is not evaluated beyond what topological order puts before the representation; position 0 keeps it valid.
    INDArray[] features = features(batch, new int[] {0});
    return graph.output(List.of(representationVertex()), false, features, featureMasks(batch))[0];
  }

  /**
   * The model's logits {@code [M, V]} at {@code positions} of {@code batch}, in inference mode.
   *
   * @param positions flat positions {@code n * T + t}, distinct, at least one
   */
  public INDArray logits(ComputationGraph graph, TokenBatch batch, int[] positions) {
    if (positions.length == 0) {
      throw new IllegalArgumentException("masked-LM: no position to score");
    }
    return graph.output(false, features(batch, positions), featureMasks(batch))[0];
  }

  /**
   * The model's distribution over the vocabulary at every {@code [MASK]} ({@link TokenBatch#MASK_ID}) among the real
   * tokens of {@code batch}, in inference mode: {@code [M, V]} softmax probabilities, row {@code j} for the j-th
   * {@code [MASK]} in row-major order, whose flat positions are {@link MaskDistribution#positions()}.
   */
  public MaskDistribution maskDistribution(ComputationGraph graph, TokenBatch batch) {
    int[] positions = maskPositions(batch);
    if (positions.length == 0) {
      return new MaskDistribution(positions, batch.paddedLength(), null);
    }
    INDArray logits = logits(graph, batch, positions);
    INDArray probabilities = Nd4j.exec(new SoftMax(logits, logits.ulike(), 1))[0];
    return new MaskDistribution(positions, batch.paddedLength(), probabilities);
  }

  /**
   * The {@code topK} most probable tokens at every {@code [MASK]} of {@code batch}, in row-major order (fill-mask).
   *
   * @param topK tokens per position, at least 1 (capped at the vocabulary size)
   */
  @Override
  public List<MaskPrediction> fillMask(ComputationGraph graph, TokenBatch batch, int topK) {
    if (topK < 1) {
      throw new IllegalArgumentException("invalid value for fill-mask top-k: '" + topK + "' (allowed: an integer >= 1)");
    }
    MaskDistribution d = maskDistribution(graph, batch);
    List<MaskPrediction> out = new ArrayList<>();
    for (int j = 0; j < d.positions().length; j++) {
      double[] p = d.probabilities().getRow(j).dup().data().asDouble();
      Integer[] order = new Integer[p.length];
      for (int v = 0; v < p.length; v++) {
        order[v] = v;
      }
      Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]) != 0 ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
      int k = Math.min(topK, p.length);
      int[] ids = new int[k];
      double[] probs = new double[k];
      for (int i = 0; i < k; i++) {
        ids[i] = order[i];
        probs[i] = p[order[i]];
      }
      int flat = d.positions()[j];
      out.add(new MaskPrediction(flat / batch.paddedLength(), flat % batch.paddedLength(), ids, probs));
    }
    return out;
  }

  /**
   * Held-out masked-token metrics of a masked batch (targets given), in inference mode and without training: how many
   * targets, the sum of their cross-entropies and how many were predicted exactly. Sum them over batches with
   * {@link MlmEvaluation#plus}; a batch without targets gives {@link MlmEvaluation#EMPTY}.
   */
  @Override
  public MlmEvaluation evaluate(ComputationGraph graph, TokenBatch batch) {
    int[] positions = batch.maskedPositions();
    if (positions.length == 0) {
      return MlmEvaluation.EMPTY;
    }
    INDArray logits = logits(graph, batch, positions).castTo(DataType.DOUBLE);
    double[] lse = logSumExp(logits);
    int v = (int) logits.size(1);
    double ceSum = 0;
    long correct = 0;
    for (int j = 0; j < positions.length; j++) {
      double[] row = logits.getRow(j).dup().data().asDouble();
      int target = batch.maskedLabels()[j];
      if (target < 0 || target >= v) {
        throw new IllegalArgumentException("masked-LM: target id " + target + " is outside the model's vocabulary [0, " + v + ")");
      }
      ceSum += lse[j] - row[target];
      int best = 0;
      for (int i = 1; i < v; i++) {
        if (row[i] > row[best]) {
          best = i;
        }
      }
      if (best == target) {
        correct++;
      }
    }
    return new MlmEvaluation(positions.length, ceSum, correct);
  }

  private static double[] logSumExp(INDArray logits) {
    INDArray max = logits.max(true, 1);
    INDArray sum = Transforms.exp(logits.subColumnVector(max), false).sum(true, 1);
    return Transforms.log(sum, false).addi(max).dup().data().asDouble();
  }

  /** Flat positions of every {@code [MASK]} among the real tokens, row-major. */
  static int[] maskPositions(TokenBatch batch) {
    int t = batch.paddedLength();
    int[] tokens = batch.tokens();
    int count = 0;
    int[] out = new int[tokens.length];
    for (int i = 0; i < batch.size(); i++) {
      for (int j = 0; j < batch.lengths()[i]; j++) {
        if (tokens[i * t + j] == TokenBatch.MASK_ID) {
          out[count++] = i * t + j;
        }
      }
    }
    return Arrays.copyOf(out, count);
  }

  @Override
  public String toString() {
    return "MaskedLm(" + config + ")";
  }

  /**
   * Distributions at the {@code [MASK]} positions of a batch.
   *
   * @param positions     flat positions {@code n * T + t}, row-major
   * @param paddedLength  {@code T} of the batch
   * @param probabilities {@code [M, V]}, row {@code j} at {@code positions[j]}; null when {@code M = 0}
   */
  public record MaskDistribution(int[] positions, int paddedLength, INDArray probabilities) {
  }
}

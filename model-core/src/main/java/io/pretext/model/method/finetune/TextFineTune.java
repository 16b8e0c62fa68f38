package io.pretext.model.method.finetune;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Bert;
import io.pretext.model.encoder.EncoderOutput;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.method.Classifier;
import io.pretext.model.method.MaskedTokenMethod;
import io.pretext.model.method.TokenTensors;
import io.pretext.model.optim.TrainingPreset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Supervised fine-tuning of a pretrained BERT-style encoder for sequence classification (Devlin et al. 2019, Sec. 4):
 * the encoder of a masked-LM run (weights copied by {@code pretext finetune}), a fresh linear classifier on its
 * representation and softmax cross-entropy against the documents' labels.
 *
 * <p>Graph: {@code input [N, T] ids, mask [N, T] -> Bert -> representation [N, H] (the mean of the final hidden states
 * over the real tokens, the representation masked-LM runs are probed with, rather than BERT's [CLS] vector, which
 * masked-LM pretraining alone does not train) -> classifier Dense(K) [N, K] -> LossLayer(SparseSoftmaxCrossEntropy)},
 * labels {@code [N, 1]}. Every window of a document longer than one sequence is a training example with the
 * document's label; the job scores a document by the mean of its windows' class scores. Dropout 0.1 on the embeddings,
 * attention and feed-forward outputs, BERT's fine-tuning setting. The learning-rate scale and the freezing are those of
 * {@link ClassifierHead}; BERT's blocks are the embeddings and each Transformer block ({@link Bert#blockOf}).
 */
public final class TextFineTune implements MaskedTokenMethod, Classifier {
  private static final long serialVersionUID = 1L;

  /** Method name, as run.json records it. */
  public static final String NAME = "finetune-text";
  /** Dropout of the embeddings, the attention probabilities and the blocks' outputs. */
  public static final double DROPOUT = 0.1;

  /**
   * AdamW at 1e-3 (the encoder at {@code --encoder-lr-scale} of it), weight decay 0.01 (BERT's), one epoch of
   * warm-up, then cosine; {@code pretext finetune} chooses the epochs from the subset's size unless given.
   */
  public static final TrainingPreset TRAINING_PRESET = new TrainingPreset(10, 1e-3, 0.01, 1.0);

  private final FineTuneConfig config;

  public TextFineTune(FineTuneConfig config) {
    this.config = Objects.requireNonNull(config, "TextFineTune config is null; use FineTuneConfig.of(classes)");
  }

  public FineTuneConfig config() {
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
  public int classes() {
    return config.classes();
  }

  @Override
  public String logitsVertex() {
    return ClassifierHead.CLASSIFIER;
  }

  /** Batches carry every sequence's document label, unmasked. */
  @Override
  public boolean labelsFromDataset() {
    return true;
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    TokenInput tokens = ModelInput.tokens(input, "text fine-tuning");
    if (!(encoder instanceof Bert bert)) {
      throw new IllegalArgumentException("text fine-tuning needs a Transformer text encoder, not " + encoder.name() + " (" + encoder.kind()
          + ")");
    }
    GraphBuilder graph = settings.configurationBuilder().graphBuilder().addInputs(INPUT);
    EncoderOutput encoded = bert.addTo(graph, "", INPUT, tokens, DROPOUT, DROPOUT);
    if (!encoded.representationVertex().equals(representationVertex())) {
      throw new IllegalStateException("Encoder " + bert.name() + " named its representation vertex '" + encoded.representationVertex() + "'");
    }
    List<String> encoderVertices = new ArrayList<>(graph.getVertices().keySet());
    return ClassifierHead.finish(graph, encoderVertices, encoder, config, settings);
  }

  /** Ids {@code [N, T]}, the padding mask {@code [N, T]}, and the sequences' labels {@code [N, 1]}. */
  @Override
  public MultiDataSet trainingBatch(TokenBatch batch) {
    int[] labels = batch.labels();
    if (labels == null) {
      throw new IllegalStateException("text fine-tuning trains on labelled sequences, but this batch has none");
    }
    INDArray column = ClassifierHead.labels(labels, config.classes(), "text fine-tuning", i -> "sequence " + i);
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {TokenTensors.ids(batch)}, new INDArray[] {column},
        new INDArray[] {TokenTensors.mask(batch)}, null);
  }

  /** The mean of the final hidden states over each sequence's real tokens, {@code [N, H]}, in inference mode. */
  @Override
  public INDArray represent(ComputationGraph graph, TokenBatch batch) {
    return output(graph, batch, representationVertex());
  }

  /** The class scores (logits) {@code [N, K]} of each sequence, in inference mode. */
  public INDArray scores(ComputationGraph graph, TokenBatch batch) {
    return output(graph, batch, logitsVertex());
  }

  private static INDArray output(ComputationGraph graph, TokenBatch batch, String vertex) {
    return graph.output(List.of(vertex), false, new INDArray[] {TokenTensors.ids(batch)}, new INDArray[] {TokenTensors.mask(batch)})[0];
  }

  @Override
  public String toString() {
    return "TextFineTune(" + config + ")";
  }
}

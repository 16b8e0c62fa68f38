package io.pretext.model.method.contrastive;

import io.pretext.model.GraphSettings;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.loss.NtXentLoss;
import io.pretext.model.method.ImageGraphs;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.ViewDefaults;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * SimCLR (Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual Representations").
 *
 * <p>Graph: {@code input [2N, C, H, W] -> encoder -> representation [2N, repDim] -> projection head
 * -> proj_out [2N, outDim] -> LossLayer(NT-Xent, identity) "loss"}. The loss is hosted by a parameter-free DL4J
 * {@link LossLayer} after the head's last (linear) Dense layer; see {@link NtXentLoss} for the batch layout and the
 * labels it needs. {@link #trainingBatch} passes the views through unchanged (already grouped by view) and adds
 * {@code [2N, 1]} zero labels. Options: {@link SimClrOptions}.
 */
public final class SimClr implements MultiViewMethod {

  /** Method name. */
  public static final String NAME = "simclr";
  /** Name of the loss layer (the graph's only output). */
  public static final String LOSS = "loss";

  private final SimClrConfig config;

  public SimClr(SimClrConfig config) {
    this.config = Objects.requireNonNull(config, "SimClr config is null; use SimClrConfig.defaults()");
  }

  public SimClrConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int views() {
    return 2;
  }

  /** The same recipe for both views ({@link ViewDefaults#TWO_VIEWS}). */
  @Override
  public ViewDefaults viewDefaults() {
    return ViewDefaults.TWO_VIEWS;
  }

  @Override
  public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
    ImageGraphs.Start start = ImageGraphs.start(encoder, input, settings, "SimCLR", representationVertex());
    GraphBuilder graph = start.graph();
    String projection = config.head().addTo(graph, "", start.representation());
    graph.addLayer(LOSS, new LossLayer.Builder(new NtXentLoss(config.temperature()))
        .activation(Activation.IDENTITY).build(), projection);
    graph.setOutputs(LOSS);
    return graph.build();
  }

  @Override
  public String representationVertex() {
    return EncoderSpec.REPRESENTATION;
  }

  @Override
  public MultiDataSet trainingBatch(ImageBatch batch) {
    INDArray views = batch.requireViews(2, "SimCLR");
    return new org.nd4j.linalg.dataset.MultiDataSet(views, NtXentLoss.labelsFor(views.size(0), views.dataType()));
  }

  @Override
  public String toString() {
    return "SimClr(" + config + ")";
  }
}

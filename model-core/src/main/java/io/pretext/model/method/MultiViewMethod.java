package io.pretext.model.method;

import io.pretext.model.DatasetKind;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A method that trains on augmented views of images (SimCLR, BYOL; MoCo later). The data pipeline makes
 * {@link #views()} views of every record in the executors, each a pure function of (seed, epoch, record, view index),
 * from the per-view recipes of the preset {@link #viewPreset()} (overridable by the user), and stacks a minibatch of
 * N records grouped by view: {@code [V*N, C, H, W]}, rows {@code v*N .. (v+1)*N - 1} holding view {@code v}.
 */
public interface MultiViewMethod extends SslMethod {

  @Override
  default DatasetKind dataKind() {
    return DatasetKind.IMAGE;
  }

  /** Views per record, {@code V >= 1} (2 for SimCLR and BYOL). */
  int views();

  /** {@link #views()}: a minibatch of N records holds {@code V*N} views. */
  @Override
  default int examplesPerRecord() {
    return views();
  }

  /**
   * The name of the view preset the method's recipes start from ({@code simclr}: the same recipe for every view;
   * {@code byol}: view 1 always blurred, view 2 rarely blurred and sometimes solarized). The presets live with the
   * augmentations in data-prep.
   */
  String viewPreset();

  /**
   * The tensors the graph fits for one minibatch.
   *
   * @param views {@code [V*N, C, H, W]}, grouped by view
   * @return features (the views, possibly rearranged), labels and masks in the form the method's graph expects
   * @throws IllegalArgumentException if {@code views} does not have {@code V*N} rows
   */
  MultiDataSet trainingBatch(INDArray views);

  /**
   * Representations of {@code images} ({@code [N, C, H, W]}) from a graph built by this method, in inference mode
   * (batch norm uses running statistics).
   *
   * @return {@code [N, repDim]}
   */
  default INDArray represent(ComputationGraph graph, INDArray images) {
    return Representations.of(graph, representationVertex(), images);
  }
}

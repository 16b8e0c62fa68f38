package io.pretext.model.method;

import io.pretext.model.DatasetKind;
import io.pretext.model.batch.ImageBatch;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A method that trains on views of images (SimCLR, BYOL, MoCo v2, DeepCluster, autoencoder, VAE). The data pipeline
 * makes {@link #views()} views of every record in the executors, each a pure function of (seed, epoch, record, view
 * index), from the per-view recipe the method declares ({@link #viewDefaults()}, overridable by the user), and hands
 * over an {@link ImageBatch}: a minibatch of N records grouped by view, {@code [V*N, C, H, W]}, rows
 * {@code v*N .. (v+1)*N - 1} holding view {@code v}, with the records' ids, a noise seed per record for the method's own
 * randomness and, while the method's state names a record table, their labels.
 */
public interface MultiViewMethod extends SslMethod {

  @Override
  default DatasetKind dataKind() {
    return DatasetKind.IMAGE;
  }

  /** kNN accuracy of the representation on the held-out images. */
  @Override
  default OnlineMonitor onlineMonitor() {
    return OnlineMonitor.KNN;
  }

  /** Views per record, {@code V >= 1} (2 for SimCLR, BYOL and MoCo; 1 for DeepCluster). */
  int views();

  /** {@link #views()}: a minibatch of N records holds {@code V*N} views. */
  @Override
  default int examplesPerRecord() {
    return views();
  }

  /** The view recipe the method trains with unless the command line overrides a setting; {@link #views()} views. */
  ViewDefaults viewDefaults();

  /**
   * The tensors the graph fits for one minibatch.
   *
   * @return features (the views, possibly rearranged), labels and masks in the form the method's graph expects
   * @throws IllegalArgumentException if the batch does not have {@code V*N} rows, or lacks labels the method needs
   */
  MultiDataSet trainingBatch(ImageBatch batch);

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

package io.pretext.model.method.contrastive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.encoder.SmallCnn;
import io.pretext.model.head.ProjectionHead;
import io.pretext.model.loss.NtXentLoss;
import io.pretext.model.method.Representations;
import io.pretext.model.optim.OptimizerConfig;
import io.pretext.model.optim.WarmupCosineSchedule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class SimClrTest {

  private static final InputShape FMNIST = InputShape.greyscale(28, 28);

  private static GraphSettings settings(DataType dt) {
    return new GraphSettings(7, dt, OptimizerConfig.adamW(1e-3, 1e-4, 5, 100));
  }

  @Test
  void configurationJsonRoundTripKeepsLossScheduleAndDecay() {
    SimClr simClr = new SimClr(SimClrConfig.defaults().withTemperature(0.2));
    ComputationGraphConfiguration conf = simClr.configure(new SmallCnn(), FMNIST, settings(DataType.FLOAT));
    String json = conf.toJson();
    assertTrue(json.contains("NtXentLoss") && json.contains("WarmupCosineSchedule")
        && json.contains("WeightDecay"), json.substring(0, Math.min(json.length(), 400)));
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
    assertEquals(conf, back);
    LossLayer loss = (LossLayer) ((LayerVertex) back.getVertices().get(SimClr.LOSS)).getLayerConf().getLayer();
    assertEquals(new NtXentLoss(0.2), loss.getLossFn());
  }

  @Test
  void checkpointRoundTripGivesSameRepresentations(@TempDir Path dir) throws Exception {
    SimClr simClr = new SimClr(SimClrConfig.defaults());
    ComputationGraph g = simClr.build(new SmallCnn(), FMNIST, settings(DataType.FLOAT));
    INDArray images = Nd4j.rand(DataType.FLOAT, FMNIST.batchShape(2));
    File file = dir.resolve("model.zip").toFile();
    ModelSerializer.writeModel(g, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
    assertEquals(simClr.represent(g, images), simClr.represent(restored, images));
  }

  @Test
  void lossSurvivesJavaSerialisation() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new NtXentLoss(0.3));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(new NtXentLoss(0.3), in.readObject());
    }
  }

  @Test
  void trainingBatchAndRepresentationShapes() {
    SimClr simClr = new SimClr(SimClrConfig.defaults());
    assertEquals(2, simClr.views());
    ComputationGraph g = simClr.build(new SmallCnn(), FMNIST, settings(DataType.FLOAT));
    INDArray views = Nd4j.rand(DataType.FLOAT, FMNIST.batchShape(6));
    MultiDataSet ds = simClr.trainingBatch(ImageBatch.of(views, 2));
    assertArrayEquals(new long[] {6, 1, 28, 28}, ds.getFeatures(0).shape());
    assertArrayEquals(new long[] {6, 1}, ds.getLabels(0).shape());
    assertArrayEquals(new long[] {6, 64}, g.outputSingle(views).shape()); // projection output
    assertArrayEquals(new long[] {3, 128}, simClr.represent(g, views.get(
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))).shape());
    assertThrows(IllegalArgumentException.class,
        () -> simClr.trainingBatch(ImageBatch.of(Nd4j.rand(DataType.FLOAT, FMNIST.batchShape(3)), 2)));
  }

  @Test
  void encoderOnlyGraphGivesTheSameRepresentations() {
    SimClr simClr = new SimClr(SimClrConfig.defaults());
    ComputationGraph g = simClr.build(new SmallCnn(), FMNIST, settings(DataType.FLOAT));
    // One training step so that weights and BatchNorm running statistics differ from their initial values.
    g.fit(simClr.trainingBatch(ImageBatch.of(Nd4j.rand(DataType.FLOAT, FMNIST.batchShape(4)), 2)));
    ComputationGraph encoder = Representations.encoderOnly(g, simClr.representationVertex());
    INDArray images = Nd4j.rand(DataType.FLOAT, FMNIST.batchShape(3));
    assertEquals(simClr.represent(g, images), encoder.outputSingle(images));
    assertEquals(9L * (32 + 32 * 64 + 64 * 128) + 4 * (32 + 64 + 128), encoder.numParams());
    assertEquals(List.of(simClr.representationVertex()), encoder.getConfiguration().getNetworkOutputs());
  }

  @Test
  void honoursDataType() {
    SimClr simClr = new SimClr(new SimClrConfig(0.5, new ProjectionHead(List.of(32), 16, true)));
    ComputationGraph g = simClr.build(new SmallCnn(), InputShape.rgb(8, 8), settings(DataType.DOUBLE));
    assertEquals(DataType.DOUBLE, g.params().dataType());
    INDArray rep = simClr.represent(g, Nd4j.rand(DataType.DOUBLE, 2, 3, 8, 8));
    assertEquals(DataType.DOUBLE, rep.dataType());
    ComputationGraph f = simClr.build(new SmallCnn(), InputShape.rgb(8, 8), settings(DataType.FLOAT));
    assertEquals(DataType.FLOAT, f.params().dataType());
  }

  @Test
  void updaterIsAdamWithWarmupCosine() {
    ComputationGraphConfiguration conf = new SimClr(SimClrConfig.defaults())
        .configure(Encoders.byName("small-cnn"), FMNIST, settings(DataType.FLOAT));
    LayerVertex v = (LayerVertex) conf.getVertices().get("conv1");
    Adam adam = assertInstanceOf(Adam.class,
        ((org.deeplearning4j.nn.conf.layers.BaseLayer) v.getLayerConf().getLayer()).getIUpdater());
    assertInstanceOf(WarmupCosineSchedule.class, adam.getLearningRateSchedule());
  }

  @Test
  void rejectsBadConfig() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SimClrConfig(-0.5, SimClrConfig.defaultHead()));
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ProjectionHead(List.of(0), 64, false));
    assertThrows(IllegalArgumentException.class, () -> new ProjectionHead(List.of(128), 0, false));
  }
}

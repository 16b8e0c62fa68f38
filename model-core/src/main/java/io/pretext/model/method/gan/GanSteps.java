package io.pretext.model.method.gan;

import io.pretext.model.InputShape;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StatePart;
import io.pretext.model.lifecycle.StepResult;
import io.pretext.model.lifecycle.WorkerSteps;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GAN's two steps per minibatch on one worker (DCGAN's loop): before the optimiser step, the generator draws one
 * image per record from the record's noise and the minibatch becomes the discriminator's, {@code [2N, C, H, W]} with the
 * real images first, targets 1 then 0 (the run's optimiser step is the discriminator's); after it, the generator takes
 * its step against the updated discriminator on the same noise ({@link GeneratorGraph#step}). At the round's end the
 * generator goes back to the driver to be averaged ({@link GeneratorState}).
 */
final class GanSteps implements WorkerSteps {
  private final GanConfig config;
  private final RunPlan plan;
  private final GeneratorState.Snapshot start;
  private GeneratorGraph generator;
  private INDArray noise;
  private double lossSum;
  private int steps;

  GanSteps(GanConfig config, RunPlan plan, GeneratorState.Snapshot start) {
    this.config = config;
    this.plan = plan;
    this.start = start;
  }

  @Override
  public MultiDataSet beforeStep(ComputationGraph network, MultiDataSet batch) {
    INDArray real = batch.getFeatures(0);
    noise = batch.getFeatures(1);
    if (generator == null) {
      generator = GeneratorGraph.of(network, InputShape.ofBatch(real), config, plan.seed(), plan.totalIterations(), start);
    }
    INDArray fake = generator.generate(noise).castTo(real.dataType());
    long n = real.size(0);
    INDArray targets = Nd4j.vstack(Nd4j.ones(real.dataType(), n, 1), Nd4j.zeros(real.dataType(), n, 1));
    return new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.concat(0, real, fake), targets);
  }

  @Override
  public void afterStep(ComputationGraph network, MultiDataSet batch, StepResult step) {
    // the discriminator's step was iteration t; the network's count is already t + 1
    lossSum += generator.step(network, noise, network.getIterationCount() - 1, network.getEpochCount());
    steps++;
  }

  @Override
  public List<StatePart> endOfRound() {
    if (generator == null) {
      return List.of();
    }
    return List.of(StatePart.average(GeneratorState.GENERATOR, generator.snapshot().wire()),
        StatePart.average(GeneratorState.LOSS, new float[] {(float) (lossSum / steps)}));
  }
}

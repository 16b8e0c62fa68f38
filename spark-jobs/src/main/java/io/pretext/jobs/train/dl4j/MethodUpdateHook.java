package io.pretext.jobs.train.dl4j;

import io.pretext.model.method.UpdateHook;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs the method's {@link UpdateHook} on a worker after each of its optimiser steps: DL4J's worker calls
 * {@code postUpdate} right after {@code fit(minibatch)} (ParameterAveragingTrainingWorker.processMinibatch).
 */
final class MethodUpdateHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  private final UpdateHook hook;

  MethodUpdateHook(UpdateHook hook) {
    this.hook = hook;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    // nothing before the step
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    // nothing before the step
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    hook.afterUpdate((ComputationGraph) model);
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
    hook.afterUpdate((ComputationGraph) model);
  }
}

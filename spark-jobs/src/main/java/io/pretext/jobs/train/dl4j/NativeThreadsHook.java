package io.pretext.jobs.train.dl4j;

import io.pretext.model.backend.NativeThreads;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gives each worker thread the native thread count set for this JVM ({@link NativeThreads#applyToCurrentThread()})
 * before every minibatch. OpenMP's team size is per thread, and Spark runs each task on a thread of its own pool, so
 * the driver's {@link NativeThreads#set} alone leaves the workers at one OpenMP thread per core each: with 2 workers
 * in local mode on 2 cores that is 4 busy threads on 2 cores, and two workers were slower than one. In executor JVMs
 * where nothing called {@link NativeThreads#set} it does nothing ({@code OMP_NUM_THREADS} applies there).
 */
final class NativeThreadsHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    NativeThreads.applyToCurrentThread();
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    NativeThreads.applyToCurrentThread();
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
  }
}

package io.pretext.jobs.train;

import io.pretext.model.lifecycle.MethodContext;

/** Makes the {@link MethodContext} of a method's epoch hook; a run implements it with its Spark session and directories. */
@FunctionalInterface
public interface MethodContexts {

  /** The context of a hook for {@code epoch}, when the run has done {@code roundsDone} rounds. */
  MethodContext at(int epoch, long roundsDone);
}

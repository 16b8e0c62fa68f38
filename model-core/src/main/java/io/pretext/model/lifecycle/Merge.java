package io.pretext.model.lifecycle;

/**
 * How the driver combines one piece of worker state ({@link StatePart}) from the workers of a round. Declared by the
 * method with the state, so that nothing is averaged element-wise by accident.
 */
public enum Merge {
  /** Element-wise mean over the workers that sent it, like the parameters: state that is a running estimate. */
  AVERAGE,
  /**
   * Rows concatenated in (step, worker) order, step-major: for step 0 every worker's rows in worker order, then step
   * 1, and so on; the driver applies rounds in order, so the result reads in (round, step, worker) order, newest last.
   * A queue of keys: what MoCo gathers from every GPU at every step.
   */
  CONCAT,
  /**
   * The worker's value is dropped and the driver's stays: a worker's private copy of driver state (its local view of
   * MoCo's queue, which its own steps changed). Such parts are not even sent.
   */
  KEEP_DRIVER
}

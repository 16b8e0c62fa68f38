package io.pretext.jobs.run;

/**
 * A run directory or checkpoint is missing, in use, incomplete, unreadable, or does not match what was asked (a resume
 * with other settings). Like a dataset error, it is the user's to fix, so the CLI reports its message without a stack
 * trace.
 */
public final class RunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunException(String message) {
    super(message);
  }

  public RunException(String message, Throwable cause) {
    super(message, cause);
  }
}

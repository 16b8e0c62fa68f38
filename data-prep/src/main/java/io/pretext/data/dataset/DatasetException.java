package io.pretext.data.dataset;

/** A dataset on disk is missing, incomplete or not in a format this version can read. */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}

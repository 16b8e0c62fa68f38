package io.pretext.jobs.run;

import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;

/** Hadoop file-system details for files that are rewritten or appended while a run is alive. */
final class LocalFiles {
  private LocalFiles() {}

  /**
   * The raw file system under a checksummed one (Hadoop's local file system keeps a {@code .crc} beside every file).
   * A process killed while writing leaves a {@code .crc} that no longer matches, and every later read of that file
   * fails; the lock and {@code metrics.jsonl} are written by a live process that may die at any time, so they skip
   * the checksum file.
   */
  static FileSystem raw(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }
}

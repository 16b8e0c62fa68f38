package io.pretext.jobs.eval;

import io.pretext.data.dataset.Checksums;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The evaluations recorded in a run directory: {@code RUN/evaluations/}, one JSON file per evaluation
 * ({@link EvaluationRecord}), written atomically. {@code evaluate --model RUN} (and the demo) record there; the run
 * report reads them. Nothing else of the run directory is touched, so a checkpoint, {@code run.json},
 * {@code metrics.jsonl} or the lock of a live run are never overwritten.
 *
 * <p>File names are deterministic: {@code <features>[-round-NNNNNN]-<protocol>-<key>.json}, where the round is the
 * evaluated checkpoint's (trained features only) and {@code key} is the first 8 hex digits of the SHA-256 of the train
 * and test URIs and the {@linkplain EvaluationRecord#settings settings}. The same evaluation repeated replaces its
 * file; another checkpoint, dataset or setting gets its own.
 */
public final class Evaluations {
  /** The directory inside a run directory. */
  public static final String DIRECTORY = "evaluations";

  private Evaluations() {}

  /** What a directory of evaluations held: the readable records by file name, and the files that could not be read. */
  public record Listing(List<EvaluationRecord> records, List<String> unreadable) {}

  /**
   * The run directory that {@code model} ({@code evaluate --model}) belongs to: the directory itself when it holds a
   * {@code run.json} and no {@code model.zip} (a run directory), or the run directory around a checkpoint directory
   * ({@code RUN/checkpoints/round-NNNNNN}); none for a checkpoint kept elsewhere.
   */
  public static Optional<Path> runDirectoryOf(String model, Configuration conf) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    Path p = new Path(model);
    boolean checkpoint = HadoopFiles.exists(new Path(p, Checkpoint.MODEL_FILE), conf);
    if (!checkpoint) {
      return HadoopFiles.exists(new Path(p, RunInfo.FILE_NAME), conf) ? Optional.of(p) : Optional.empty();
    }
    Path parent = p.getParent();
    if (parent != null && parent.getName().equals("checkpoints") && parent.getParent() != null
        && HadoopFiles.exists(new Path(parent.getParent(), RunInfo.FILE_NAME), conf)) {
      return Optional.of(parent.getParent());
    }
    return Optional.empty();
  }

  /** The file name of {@code record} (see the class comment). */
  public static String fileName(EvaluationRecord record) {
    StringBuilder key = new StringBuilder();
    key.append("train=").append(record.train()).append('\n').append("test=").append(record.test()).append('\n');
    for (Map.Entry<String, Object> e : record.settings().entrySet()) {
      key.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    String hash = Checksums.sha256Hex(key.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    String round = "trained".equals(record.features()) && record.roundsDone() != null
        ? String.format(Locale.ROOT, "-round-%06d", record.roundsDone()) : "";
    return record.features() + round + "-" + record.protocol() + "-" + hash + ".json";
  }

  /**
   * Writes {@code record} into {@code run}'s evaluations directory, replacing the same evaluation's earlier file.
   *
   * @return the file written
   */
  public static Path record(Path run, EvaluationRecord record, Configuration conf) {
    Path file = new Path(new Path(run, DIRECTORY), fileName(record));
    try {
      HadoopFiles.fs(file, conf).mkdirs(file.getParent());
      HadoopFiles.writeAtomically(file, record.toJson().getBytes(StandardCharsets.UTF_8), conf);
    } catch (IOException | UncheckedIOException e) {
      throw new RunException("cannot record the evaluation in " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /**
   * Records {@code result} in the run directory of {@code config.model()} when there is one ({@link #runDirectoryOf}).
   *
   * @return the file written, or none when the model is not part of a run directory (or not given, for pixels)
   */
  public static Optional<Path> recordInRun(EvaluateConfig config, EvaluationResult result, Configuration conf) {
    return runDirectoryOf(config.model(), conf).map(run -> record(run, EvaluationRecord.of(config, result), conf));
  }

  /** Every record of {@code run}, by file name; files that are not records are listed with the reason. */
  public static Listing read(Path run, Configuration conf) {
    Path dir = new Path(run, DIRECTORY);
    List<EvaluationRecord> records = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    FileSystem fs = HadoopFiles.fs(dir, conf);
    try {
      if (!fs.exists(dir)) {
        return new Listing(records, unreadable);
      }
      List<FileStatus> files = new ArrayList<>(List.of(fs.listStatus(dir, p -> p.getName().endsWith(".json") && !p.getName().startsWith("."))));
      files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      for (FileStatus f : files) {
        try {
          records.add(EvaluationRecord.fromJson(HadoopFiles.readString(f.getPath(), conf)));
        } catch (RunException | UncheckedIOException e) {
          unreadable.add(f.getPath().getName() + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new RunException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return new Listing(records, unreadable);
  }
}

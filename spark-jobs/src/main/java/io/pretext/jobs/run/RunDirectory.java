package io.pretext.jobs.run;

import io.pretext.data.dataset.HadoopFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A training run's directory on any Hadoop file system. Checkpoints are written to
 * {@code checkpoints/.tmp-round-NNNNNN-<nanos>/} ({@code model.zip}, the method's state, then {@code run.json} last)
 * and renamed to {@code checkpoints/round-NNNNNN/}; only renamed directories containing {@code run.json} count as
 * complete. The newest {@code keep} complete checkpoints are kept. {@code metrics.jsonl} is appended to through one
 * open stream ({@link #openMetrics}); {@code .lock} keeps out a second run ({@link RunLock}).
 */
public final class RunDirectory {
  private static final Pattern COMPLETE = Pattern.compile("round-(\\d{6,})");
  public static final String METRICS_FILE = "metrics.jsonl";
  /** The directory of methods' per-record tables ({@link #stateTable}). */
  public static final String STATE_DIR = "state";

  private final Path root;
  private final Configuration conf;
  private final FileSystem fs;

  public RunDirectory(String uri, Configuration conf) {
    this.root = new Path(uri);
    this.conf = conf;
    this.fs = HadoopFiles.fs(root, conf);
  }

  public Path root() {
    return root;
  }

  public Path checkpointsDir() {
    return new Path(root, "checkpoints");
  }

  public Path metricsFile() {
    return new Path(root, METRICS_FILE);
  }

  /** Where methods' per-record tables live: {@code state/NAME/} (Parquet). */
  public Path stateTablesDir() {
    return new Path(root, STATE_DIR);
  }

  /**
   * The location of the per-record table {@code name}.
   *
   * @throws IllegalArgumentException if the name is not lower-case letters, digits and dashes (it names a directory)
   */
  public Path stateTable(String name) {
    if (!name.matches("[a-z0-9][a-z0-9-]{0,99}")) {
      throw new IllegalArgumentException("invalid state table name '" + name + "': lower-case letters, digits and dashes, 1-100 characters");
    }
    return new Path(stateTablesDir(), name);
  }

  /** True if the directory exists and holds anything but a lock. */
  public boolean hasContent() {
    try {
      if (!fs.exists(root)) {
        return false;
      }
      for (FileStatus st : fs.listStatus(root)) {
        if (!st.getPath().getName().equals(RunLock.FILE_NAME)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new RunException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the run's lock (see {@link RunLock}): a heartbeat every 15 s, a silent lock respected for 90 s.
   *
   * @throws RunException if another live run holds it
   */
  public RunLock lock(Consumer<String> progress) {
    return RunLock.acquire(root, conf, 15_000, 90_000, progress);
  }

  /** Complete checkpoints, oldest first. */
  public List<Checkpoint> checkpoints() {
    List<Checkpoint> out = new ArrayList<>();
    try {
      if (!fs.exists(checkpointsDir())) {
        return out;
      }
      for (FileStatus st : fs.listStatus(checkpointsDir())) {
        Matcher m = COMPLETE.matcher(st.getPath().getName());
        Path info = new Path(st.getPath(), RunInfo.FILE_NAME);
        if (st.isDirectory() && m.matches() && fs.exists(info) && fs.exists(new Path(st.getPath(), Checkpoint.MODEL_FILE))) {
          out.add(new Checkpoint(st.getPath(), RunInfo.fromJson(HadoopFiles.readString(info, conf))));
        }
      }
    } catch (IOException e) {
      throw new RunException("cannot list checkpoints in " + checkpointsDir() + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparingLong(c -> c.info().roundsDone()));
    return out;
  }

  public Optional<Checkpoint> latest() {
    List<Checkpoint> all = checkpoints();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The checkpoint to evaluate for {@code uri}: a checkpoint directory itself, or the newest
   * complete checkpoint of a run directory.
   */
  public static Checkpoint resolve(String uri, Configuration conf) {
    Path p = new Path(uri);
    if (HadoopFiles.exists(new Path(p, Checkpoint.MODEL_FILE), conf) && HadoopFiles.exists(new Path(p, RunInfo.FILE_NAME), conf)) {
      return new Checkpoint(p, RunInfo.fromJson(HadoopFiles.readString(new Path(p, RunInfo.FILE_NAME), conf)));
    }
    return new RunDirectory(uri, conf).latest().orElseThrow(() -> new RunException(
        "--model " + uri + " is neither a checkpoint directory (model.zip + run.json) nor a run directory with a complete checkpoint"));
  }

  /** {@link #save(ComputationGraph, RunInfo, byte[], Set, Map, int)} for a state that names no table. */
  public Checkpoint save(ComputationGraph network, RunInfo info, byte[] state, Map<String, byte[]> files, int keep) {
    return save(network, info, state, Set.of(), files, keep);
  }

  /**
   * Writes a checkpoint atomically and prunes all but the newest {@code keep}, then the per-record tables that neither
   * a kept checkpoint nor {@code tables} names.
   *
   * @param state the method's state ({@code MethodState.save()}); nothing is written when it is empty
   * @param tables the per-record tables the state names ({@code MethodState.tables()}), listed in the checkpoint
   * @param files more files the checkpoint carries, by name (a text run's {@value Checkpoint#VOCAB_FILE})
   */
  public Checkpoint save(ComputationGraph network, RunInfo info, byte[] state, Set<String> tables, Map<String, byte[]> files,
      int keep) {
    Path tmp = new Path(checkpointsDir(), ".tmp-" + checkpointName(info.roundsDone()) + "-" + System.nanoTime());
    try {
      fs.mkdirs(tmp);
      ModelFiles.write(network, fs, tmp); // model.zip and its SHA-256, before run.json marks the checkpoint complete
    } catch (IOException | UncheckedIOException e) {
      throw new RunException("cannot write checkpoint " + checkpointDir(info.roundsDone()) + ": " + e.getMessage(), e);
    }
    return commit(tmp, info, state, tables, files, keep);
  }

  /**
   * Finishes a checkpoint whose model another process wrote into {@code staged} ({@link #stagingDir}; the all-reduce
   * engine's first worker writes it): adds the method's state, the files and run.json, renames it into place
   * atomically, then prunes as {@link #save} does.
   */
  public Checkpoint commit(Path staged, RunInfo info, byte[] state, Set<String> tables, Map<String, byte[]> files, int keep) {
    Path target = checkpointDir(info.roundsDone());
    try {
      if (!fs.exists(new Path(staged, Checkpoint.MODEL_FILE))) {
        throw new IOException("the model was not written to " + staged);
      }
      if (state.length > 0) {
        try (OutputStream out = fs.create(new Path(staged, Checkpoint.STATE_FILE), true)) {
          out.write(state);
        }
      }
      if (!tables.isEmpty()) {
        try (OutputStream out = fs.create(new Path(staged, Checkpoint.STATE_TABLES_FILE), true)) {
          out.write((String.join("\n", new TreeSet<>(tables)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        try (OutputStream out = fs.create(new Path(staged, f.getKey()), true)) {
          out.write(f.getValue());
        }
      }
      try (OutputStream out = fs.create(new Path(staged, RunInfo.FILE_NAME), true)) {
        out.write(info.toJson().getBytes(StandardCharsets.UTF_8));
      }
      if (fs.exists(target)) {
        fs.delete(target, true);
      }
      if (!fs.rename(staged, target)) {
        throw new IOException("rename " + staged + " -> " + target + " failed");
      }
      HadoopFiles.writeAtomically(new Path(root, RunInfo.FILE_NAME), info.toJson().getBytes(StandardCharsets.UTF_8), conf);
    } catch (IOException | UncheckedIOException e) {
      throw new RunException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
    prune(keep);
    pruneTables(tables);
    return new Checkpoint(target, info);
  }

  /** The directory of the checkpoint after {@code roundsDone} rounds. */
  public Path checkpointDir(long roundsDone) {
    return new Path(checkpointsDir(), checkpointName(roundsDone));
  }

  /**
   * Where a worker writes the model after {@code roundsDone} rounds for the driver to commit or load; a name the
   * checkpoint listing ignores and {@link #save}'s pruning deletes if it is left behind.
   */
  public Path stagingDir(long roundsDone) {
    return new Path(checkpointsDir(), ".tmp-staged-" + checkpointName(roundsDone));
  }

  private static String checkpointName(long roundsDone) {
    return String.format("round-%06d", roundsDone);
  }

  /** Deletes the per-record tables that neither a kept checkpoint nor {@code live} names. */
  private void pruneTables(Set<String> live) {
    try {
      if (!fs.exists(stateTablesDir())) {
        return;
      }
      Set<String> named = new HashSet<>(live);
      for (Checkpoint c : checkpoints()) {
        named.addAll(c.stateTables(conf));
      }
      for (FileStatus st : fs.listStatus(stateTablesDir())) {
        if (!named.contains(st.getPath().getName())) {
          fs.delete(st.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new RunException("cannot prune the tables in " + stateTablesDir() + ": " + e.getMessage(), e);
    }
  }

  private void prune(int keep) {
    List<Checkpoint> all = checkpoints();
    try {
      for (int i = 0; i < all.size() - keep; i++) {
        fs.delete(all.get(i).dir(), true);
      }
      for (FileStatus st : fs.listStatus(checkpointsDir())) {
        if (st.getPath().getName().startsWith(".tmp-")) {
          fs.delete(st.getPath(), true); // left by a crash while writing
        }
      }
    } catch (IOException e) {
      throw new RunException("cannot prune checkpoints in " + checkpointsDir() + ": " + e.getMessage(), e);
    }
  }

  /** Lines of metrics.jsonl, or none. */
  public List<String> readMetrics() {
    FileSystem raw = LocalFiles.raw(fs);
    List<String> out = new ArrayList<>();
    try {
      if (!raw.exists(metricsFile())) {
        return out;
      }
      try (var in = raw.open(metricsFile())) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            out.add(line);
          }
        }
      }
    } catch (IOException e) {
      throw new RunException("cannot read " + metricsFile() + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Starts {@code metrics.jsonl} anew with {@code kept} lines (the history up to the checkpoint a run resumes from)
   * and returns the open stream the run appends to; each line is flushed to the file system as it is written. On
   * object stores without append (S3) the file appears when the stream closes.
   */
  public FSDataOutputStream openMetrics(List<String> kept) {
    FileSystem raw = LocalFiles.raw(fs);
    try {
      fs.mkdirs(root);
      FSDataOutputStream out = raw.create(metricsFile(), true);
      for (String line : kept) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.hflush();
      return out;
    } catch (IOException e) {
      throw new RunException("cannot open " + metricsFile() + ": " + e.getMessage(), e);
    }
  }
}

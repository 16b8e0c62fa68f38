package io.pretext.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process the tier started, in its own process group ({@code setsid}), with stdout and stderr in files. Every
 * group is registered: {@link #close} kills the whole group (a worker and the executors it forked, a driver and its
 * children), a JVM shutdown hook kills whatever is left, and a watchdog process kills the groups if this JVM dies
 * without running its hooks (e.g. a fork timeout's SIGKILL).
 */
final class Launched implements AutoCloseable {
  private static final Set<Launched> LIVE = ConcurrentHashMap.newKeySet();
  private static Path registry;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(Launched::close)));
  }

  final String name;
  final Process process;
  final Path stdout;
  final Path stderr;

  private Launched(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code command} in a new session and process group, logging to {@code logDir/name.out|err}. */
  static Launched start(String name, List<String> command, Map<String, String> env, Path logDir) {
    List<String> full = new ArrayList<>();
    full.add("setsid");
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full);
    pb.environment().putAll(env);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    try {
      Files.createDirectories(logDir);
      Launched l = new Launched(name, pb.start(), out, err);
      LIVE.add(l);
      watch();
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the process to exit; on timeout kills its group and fails with the tail of its log. */
  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new AssertionError(name + " did not finish within " + timeout + "; killed. stderr tail:\n" + tail(stderr, 60));
      }
      int code = process.exitValue();
      close(); // children it may have left (none expected)
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new AssertionError("interrupted waiting for " + name, e);
    }
  }

  String out() {
    return read(stdout);
  }

  String err() {
    return read(stderr);
  }

  /** The process's descendants whose command line contains {@code marker} (e.g. an executor under a worker). */
  List<ProcessHandle> descendants(String marker) {
    return process.descendants().filter(h -> h.info().commandLine().orElse("").contains(marker)).toList();
  }

  /** Kills the process group at once with SIGKILL, as a crash or a pre-emption would, and waits for the process. */
  void crash() {
    signalGroup("KILL");
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  /** Kills the process group: SIGTERM, then SIGKILL after five seconds. Idempotent. */
  @Override
  public void close() {
    if (!LIVE.remove(this)) {
      return;
    }
    try {
      writeRegistry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    signalGroup("TERM");
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    signalGroup("KILL");
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private void signalGroup(String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path file, int lines) {
    List<String> all = read(file).lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last line of stdout that is a JSON object (every pretext command ends with one). */
  Optional<String> jsonLine() {
    List<String> lines = out().lines().filter(l -> l.startsWith("{")).toList();
    return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
  }

  private static java.io.File nullFile() {
    return new java.io.File("/dev/null");
  }

  /**
   * One watchdog per test JVM: a shell in its own session that polls this JVM's pid and, once it is gone, kills
   * every process group listed in the registry file. It exits with this JVM.
   */
  private static synchronized void watch() throws IOException {
    if (registry == null) {
      registry = Files.createTempFile("pretext-it-groups", ".txt");
      long self = ProcessHandle.current().pid();
      String script = "while kill -0 " + self + " 2>/dev/null; do sleep 1; done; "
          + "for g in $(cat '" + registry + "'); do kill -KILL -- -$g 2>/dev/null; done; rm -f '" + registry + "'";
      new ProcessBuilder("setsid", "bash", "-c", script).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
    writeRegistry();
  }

  /** The groups still alive; a closed group leaves the list, so the watchdog never signals a reused id. */
  private static synchronized void writeRegistry() throws IOException {
    if (registry == null) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    LIVE.forEach(l -> sb.append(l.process.pid()).append('\n'));
    Path tmp = registry.resolveSibling(registry.getFileName() + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, registry, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}

package io.pretext.jobs.run;

import io.pretext.data.dataset.HadoopFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lock that keeps a second {@code pretrain} off a run directory while another one trains in it: the file
 * {@code RUN/.lock} names its owner (host, process, start) and holds a heartbeat that the owner rewrites every
 * {@code heartbeat} period from a daemon thread.
 *
 * <p>A crashed owner cannot leave the run stuck: a lock whose heartbeat is older than {@code timeout} is stale, and the
 * next run takes it over. A newcomer that finds a fresh heartbeat watches it for up to {@code timeout}: if it advances
 * the owner is alive and the newcomer is refused at once; if it stops, the newcomer takes over. So a scheduler that
 * relaunches a pre-empted job immediately waits at most one timeout, and two live runs never share a directory. The
 * clocks compared are the newcomer's own (two readings of the file), so clock skew between hosts does not matter.
 *
 * <p>Creation uses the file system's create-if-absent, which is atomic on HDFS; on local disks (a check, then a
 * create) and object stores (S3) two runs started in the same instant could both pass it, which the heartbeat check
 * then reveals to neither: start scheduled runs of one directory from one scheduler.
 */
public final class RunLock implements AutoCloseable {
  /** Name of the lock file in the run directory. */
  public static final String FILE_NAME = ".lock";

  private final FileSystem fs;
  private final Path file;
  private final String owner;
  private final ScheduledExecutorService beat;

  private RunLock(FileSystem fs, Path file, String owner, long heartbeatMillis) {
    this.fs = fs;
    this.file = file;
    this.owner = owner;
    this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pretext-run-lock");
      t.setDaemon(true);
      return t;
    });
    beat.scheduleAtFixedRate(this::writeQuietly, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock of {@code runDir}.
   *
   * @param heartbeatMillis how often the owner proves it is alive
   * @param timeoutMillis how long a silent lock is respected; must exceed {@code heartbeatMillis} by a margin
   * @param progress where waiting is reported
   * @throws RunException if another live run holds it
   */
  public static RunLock acquire(Path runDir, Configuration conf, long heartbeatMillis, long timeoutMillis, Consumer<String> progress) {
    FileSystem fs = LocalFiles.raw(HadoopFiles.fs(runDir, conf));
    Path file = new Path(runDir, FILE_NAME);
    String owner = describeThisProcess();
    try {
      fs.mkdirs(runDir);
      if (!tryCreate(fs, file, owner)) {
        String seen = readSettled(fs, file);
        long waitUntil = System.currentTimeMillis() + timeoutMillis;
        progress.accept("run directory " + runDir + " is locked by " + seen + "; watching its heartbeat for up to "
            + timeoutMillis / 1000 + " s");
        while (true) {
          sleep(Math.min(heartbeatMillis / 2 + 1, 1000));
          String now = read(fs, file);
          if (now != null && now.isEmpty()) {
            continue; // caught between the owner's truncate and write: look again
          }
          if (now == null) {
            if (tryCreate(fs, file, owner)) {
              break;
            }
            continue;
          }
          if (!now.equals(seen)) {
            throw new RunException("--run " + runDir + " is in use by a live pretrain (" + now + "); wait for it to finish, or"
                + " choose another --run");
          }
          if (System.currentTimeMillis() >= waitUntil) {
            progress.accept("the lock's heartbeat stopped more than " + timeoutMillis / 1000 + " s ago: taking over (" + seen + ")");
            fs.delete(file, false);
            if (tryCreate(fs, file, owner)) {
              break;
            }
            throw new RunException("--run " + runDir + ": another pretrain took the stale lock first");
          }
        }
      }
    } catch (IOException e) {
      throw new RunException("cannot lock --run " + runDir + ": " + e.getMessage(), e);
    }
    return new RunLock(fs, file, owner, heartbeatMillis);
  }

  private static boolean tryCreate(FileSystem fs, Path file, String owner) throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      out.write(stamp(owner).getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file)) {
        return false; // some file systems report an existing file with a plain IOException
      }
      throw e;
    }
  }

  /** The lock's content, waiting out the instant an owner's rewrite leaves it empty. */
  private static String readSettled(FileSystem fs, Path file) throws IOException {
    String s = read(fs, file);
    for (int i = 0; i < 20 && s != null && s.isEmpty(); i++) {
      sleep(10);
      s = read(fs, file);
    }
    return s;
  }

  private static String read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  private static String stamp(String owner) {
    return owner + ", heartbeat " + System.currentTimeMillis() + " (" + java.time.Instant.now() + ")\n";
  }

  private static String describeThisProcess() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    return String.format(Locale.ROOT, "pid %s on %s, started %s", ManagementFactory.getRuntimeMXBean().getPid(), host,
        java.time.Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
  }

  private void writeQuietly() {
    try (OutputStream out = fs.create(file, true)) {
      out.write(stamp(owner).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // A missed heartbeat only shortens the time before another run may take over; the next one retries.
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunException("interrupted while waiting for the run lock");
    }
  }

  /** Stops the heartbeat and removes the lock. */
  @Override
  public void close() {
    beat.shutdownNow();
    try {
      fs.delete(file, false);
    } catch (IOException e) {
      // Left behind, it goes stale after the timeout.
    }
  }
}

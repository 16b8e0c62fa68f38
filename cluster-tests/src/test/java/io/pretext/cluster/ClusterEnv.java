package io.pretext.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the integration tier finds its parts, from the system properties failsafe sets (cluster-tests/pom.xml):
 * the Spark home laid out by Maven, the job jar, a work directory, and Spark's {@code --add-opens} list.
 */
final class ClusterEnv {
  static final String LOOPBACK = "127.0.0.1";

  private ClusterEnv() {}

  static Path sparkHome() {
    return Path.of(required("pretext.sparkHome")).toAbsolutePath();
  }

  static Path repoRoot() {
    return Path.of("..").toAbsolutePath().normalize();
  }

  /** The job jar spark-jobs built in the package phase, copied by the dependency plugin. */
  static Path jobJar() {
    Path dir = Path.of(required("pretext.jobJarDir"));
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no *-job.jar in " + dir + "; run mvn verify (the job jar is built in package)"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + "; run mvn verify (the job jar is built in package)", e);
    }
  }

  static Path workDir() {
    try {
      return Files.createDirectories(Path.of(required("pretext.workDir")).toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code pretext.addOpens} from the root pom: what a driver JVM needs on Java 17 outside spark-submit. */
  static List<String> addOpens() {
    return Arrays.stream(required("pretext.addOpens").trim().split("\\s+")).toList();
  }

  /** A port free on the loopback address right now (the caller binds it soon after). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + key + " is not set: run the tier through Maven (mvn verify)");
    }
    return v;
  }
}

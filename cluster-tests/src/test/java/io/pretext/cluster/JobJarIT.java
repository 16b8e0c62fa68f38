package io.pretext.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job jar carries nothing the cluster provides: no class in it is also in the Spark distribution's jars (Scala,
 * Spark, Hadoop, and the libraries DL4J pulls in that Spark already ships). Spark's class loader looks at its own
 * jars first, so such a copy is never used, and a second Scala library is a conflict waiting to happen.
 */
class JobJarIT {
  @Test
  void jobJarHoldsNoClassOfTheSparkDistribution() throws IOException {
    Set<String> spark = new HashSet<>();
    TreeMap<String, Integer> overlap = new TreeMap<>();
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> list = Files.list(ClusterEnv.sparkHome().resolve("jars"))) {
      list.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
    }
    assertTrue(jars.size() > 100, "the Spark distribution has well over 100 jars, found " + jars.size());
    for (Path jar : jars) {
      try (JarFile f = new JarFile(jar.toFile())) {
        f.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(spark::add);
      }
    }
    int classes = 0;
    try (JarFile job = new JarFile(ClusterEnv.jobJar().toFile())) {
      for (var e : (Iterable<java.util.jar.JarEntry>) job.stream()::iterator) {
        String name = e.getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/versions/")) {
          continue;
        }
        classes++;
        if (spark.contains(name)) {
          String pkg = name.substring(0, Math.max(0, name.lastIndexOf('/')));
          overlap.merge(pkg, 1, Integer::sum);
        }
      }
      assertTrue(job.getEntry("io/pretext/jobs/cli/PretextCli.class") != null, "the job jar holds the CLI");
      assertEquals("io.pretext.jobs.cli.PretextCli", job.getManifest().getMainAttributes().getValue("Main-Class"));
    }
    assertTrue(classes > 10_000, "DL4J and ND4J classes expected, found " + classes);
    assertTrue(overlap.isEmpty(), "classes the cluster already provides, by package (exclude their artifact from the shade plugin"
        + " in spark-jobs/pom.xml): " + overlap);
  }
}

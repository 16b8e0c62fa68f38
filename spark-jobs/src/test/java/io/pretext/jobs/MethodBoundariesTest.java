package io.pretext.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.DatasetKind;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.Methods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The design properties docs/architecture.md states, checked on the sources so that they cannot silently become false:
 * each method is one package that nothing else in the product knows (no main-code file outside a method's package
 * names one of its classes, imported or fully qualified; the benchmarks may); no source or POM uses DL4J's Spark
 * module (Pretext's own worker loop trains); and model-core has no Spark.
 */
class MethodBoundariesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> PRODUCT = List.of("model-core", "data-prep", "spark-jobs");

  /** The packages of the registered methods, e.g. {@code io.pretext.model.method.moco}. */
  static Set<String> methodPackages() {
    Set<String> out = new TreeSet<>();
    for (MethodProvider p : Methods.all()) {
      out.add(p.getClass().getPackageName());
    }
    return out;
  }

  private static List<Path> mainSources() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String module : PRODUCT) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        files.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
      }
    }
    return out;
  }

  private static String packageOf(Path source) throws IOException {
    for (String line : Files.readAllLines(source)) {
      if (line.startsWith("package ")) {
        return line.substring("package ".length(), line.indexOf(';')).strip();
      }
    }
    return "";
  }

  @Test
  void noMainCodeOutsideAMethodsPackageNamesItsClasses() throws IOException {
    Set<String> methods = methodPackages();
    assertTrue(methods.size() >= 5, "methods found: " + methods);
    List<String> offenders = new ArrayList<>();
    int checked = 0;
    for (Path source : mainSources()) {
      String own = packageOf(source);
      String text = Files.readString(source);
      for (String m : methods) {
        if (!own.equals(m) && !own.startsWith(m + ".") && text.contains(m + ".")) {
          offenders.add(ROOT.relativize(source) + " names " + m);
        }
      }
      checked++;
    }
    assertTrue(checked > 200, "only " + checked + " sources");
    assertEquals(List.of(), offenders, "a method is one package: ask for a capability (an interface of io.pretext.model.method) instead");
  }

  @Test
  void noSourceUsesDl4jsSparkModule() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/")).toList()) {
        if (Files.readString(p).contains("org.deeplearning4j" + ".spark")) { // split: this file is scanned too
          offenders.add(ROOT.relativize(p).toString());
        }
      }
    }
    assertEquals(List.of(), offenders);
    List<String> poms = poms();
    assertTrue(poms.size() >= 7, "the parent and six modules: " + poms);
    List<String> depending = new ArrayList<>();
    for (String pom : poms) {
      if (Files.readString(ROOT.resolve(pom)).contains("dl4j-spark")) {
        depending.add(pom);
      }
    }
    assertEquals(List.of(), depending, "POMs naming dl4j-spark");
  }

  /** Every pom.xml of the build: the parent's and each module's (one level down), build output left out. */
  private static List<String> poms() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT, 2)) {
      return files.filter(f -> f.getFileName().toString().equals("pom.xml") && !f.toString().contains("/target/"))
          .map(f -> ROOT.relativize(f).toString()).sorted().toList();
    }
  }

  /**
   * docs/architecture.md: model-core holds the encoders, losses and methods with no Spark (a method's Spark work, such
   * as DeepCluster's clustering, goes through the run context spark-jobs implements). Its sources name no Spark class
   * and its POM declares no Spark artifact.
   */
  @Test
  void modelCoreKnowsNoSpark() throws IOException {
    List<String> offenders = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(ROOT.resolve("model-core/src/main/java"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (Files.readString(p).contains("org.apache" + ".spark")) { // split: this file is scanned too
          offenders.add(ROOT.relativize(p).toString());
        }
        checked++;
      }
    }
    assertTrue(checked > 100, "only " + checked + " sources");
    assertEquals(List.of(), offenders, "model-core sources using Spark");
    String pom = Files.readString(ROOT.resolve("model-core/pom.xml"));
    assertTrue(!pom.contains("org.apache.spark") && !pom.contains("spark-"), "model-core/pom.xml declares a Spark dependency");
  }

  @Test
  void everyKindHasExactlyOneDefaultMethodInTheRegistry() {
    assertEquals("simclr", Methods.defaultFor(DatasetKind.IMAGE).name());
    assertEquals("mlm", Methods.defaultFor(DatasetKind.TEXT).name());
  }
}

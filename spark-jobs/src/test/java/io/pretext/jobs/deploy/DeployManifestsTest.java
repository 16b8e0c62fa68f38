package io.pretext.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pretext.data.spark.PretextKryoRegistrator;
import io.pretext.jobs.cli.PretextCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Everything in deploy/ is parsed (YAML, Python, Dockerfile, shell) and every field that must agree with the job jar
 * and the CLI is checked: the main class, the jar's path in the image, the image name, the Spark version, the
 * command and each option it uses (against the picocli model of that command), and the Kryo settings. Docker,
 * Kubernetes, YARN and Airflow are not run here (none is available); pretext-submit runs against a fake spark-submit
 * that prints what it was given.
 */
class DeployManifestsTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final String JAR_IN_IMAGE = "/opt/pretext/pretext-job.jar";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** Option names of each pretext command, from the picocli model. */
  static Map<String, CommandLine.Model.CommandSpec> commands() {
    Map<String, CommandLine.Model.CommandSpec> out = new LinkedHashMap<>();
    new CommandLine(PretextCli.class).getSubcommands().forEach((name, cl) -> out.put(name, cl.getCommandSpec()));
    return out;
  }

  /** Checks a pretext command line: a known command, and each {@code --option} one that command has. */
  static void checkCommandLine(String where, List<String> args) {
    assertFalse(args.isEmpty(), where + ": no command");
    CommandLine.Model.CommandSpec spec = commands().get(args.get(0));
    assertNotNull(spec, where + ": '" + args.get(0) + "' is not a pretext command " + commands().keySet());
    for (String a : args.subList(1, args.size())) {
      if (a.startsWith("--")) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        assertNotNull(spec.findOption(name), where + ": pretext " + args.get(0) + " has no option " + name);
      }
    }
  }

  static String sparkVersion() throws IOException {
    Matcher m = Pattern.compile("<spark.version>([^<]+)</spark.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertTrue(m.find());
    return m.group(1);
  }

  /** The image tag the Dockerfile's build comment names, e.g. pretext/pretext-spark:0.1.0. */
  static String imageTag(String dockerfile) {
    Matcher m = Pattern.compile("docker build .* -t (\\S+) \\.").matcher(dockerfile);
    assertTrue(m.find(), "the Dockerfile says how to build and tag it");
    return m.group(1);
  }

  @Test
  void dockerfileCopiesTheJobJarWhereTheManifestsLookForIt() throws IOException {
    String text = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
    List<String[]> instructions = new ArrayList<>();
    for (String line : text.replace("\\\n", " ").lines().toList()) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        String[] parts = l.split("\\s+", 2);
        assertTrue(parts[0].matches("FROM|ARG|USER|COPY|RUN|ENV|WORKDIR"), "unexpected Dockerfile instruction: " + l);
        instructions.add(parts);
      }
    }
    assertTrue(text.contains("ARG SPARK_IMAGE=apache/spark:" + sparkVersion() + "-scala2.12-java17-ubuntu"),
        "the base image is Spark " + sparkVersion() + " with Scala 2.12 and Java 17, as the pom builds for");
    boolean jar = false;
    for (String[] i : instructions) {
      if (i[0].equals("COPY") && i[1].startsWith("spark-jobs/target/pretext-spark-jobs-")) {
        assertEquals("spark-jobs/target/pretext-spark-jobs-${PRETEXT_VERSION}-job.jar " + JAR_IN_IMAGE, i[1]);
        jar = true;
      }
    }
    assertTrue(jar, "the Dockerfile copies the job jar");
    assertTrue(text.contains("ENV PRETEXT_JOB_JAR=" + JAR_IN_IMAGE));
  }

  @Test
  void kubernetesManifestsAgreeWithTheJarTheImageAndTheCli() throws IOException {
    String tag = imageTag(Files.readString(DEPLOY.resolve("docker/Dockerfile")));
    for (String file : List.of("kubernetes/pretrain-sparkapplication.yaml", "kubernetes/pretrain-scheduled.yaml")) {
      JsonNode doc = YAML.readTree(DEPLOY.resolve(file).toFile());
      assertEquals("sparkoperator.k8s.io/v1beta2", doc.path("apiVersion").asText(), file);
      JsonNode app = doc.path("kind").asText().equals("ScheduledSparkApplication") ? doc.path("spec").path("template") : doc.path("spec");
      if (doc.path("kind").asText().equals("ScheduledSparkApplication")) {
        assertEquals("Forbid", doc.path("spec").path("concurrencyPolicy").asText(), file + ": two launches must not share a run");
        assertEquals(5, doc.path("spec").path("schedule").asText().split(" ").length, file + ": a cron schedule");
      } else {
        assertEquals("SparkApplication", doc.path("kind").asText(), file);
      }
      assertEquals("Java", app.path("type").asText(), file);
      assertEquals(PretextCli.class.getName(), app.path("mainClass").asText(), file);
      assertEquals("local://" + JAR_IN_IMAGE, app.path("mainApplicationFile").asText(), file);
      assertEquals(tag, app.path("image").asText(), file);
      assertEquals(sparkVersion(), app.path("sparkVersion").asText(), file);
      List<String> args = new ArrayList<>();
      app.path("arguments").forEach(a -> args.add(a.asText()));
      checkCommandLine(file, args);
      assertTrue(String.join(" ", args).contains("--resume auto"), file + ": relaunches resume");
      checkSparkConf(file, app.path("sparkConf"));
      assertEquals("1", app.path("sparkConf").path("spark.task.cpus").asText(), file);
      assertTrue(app.path("executor").path("instances").asInt() >= 1, file);
    }
  }

  static void checkSparkConf(String where, JsonNode conf) {
    assertEquals("org.apache.spark.serializer.KryoSerializer", conf.path("spark.serializer").asText(), where);
    assertEquals(PretextKryoRegistrator.class.getName(), conf.path("spark.kryo.registrator").asText(), where);
    assertEquals("false", conf.path("spark.speculation").asText(), where);
    String opts = conf.path("spark.executor.extraJavaOptions").asText();
    Matcher max = Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.maxbytes=(\\d+)M").matcher(opts);
    assertTrue(max.find(), where + ": executors get an ND4J off-heap limit");
    Matcher overhead = Pattern.compile("(\\d+)m").matcher(conf.path("spark.executor.memoryOverhead").asText());
    assertTrue(overhead.matches() && Long.parseLong(overhead.group(1)) >= Long.parseLong(max.group(1)),
        where + ": spark.executor.memoryOverhead covers the off-heap limit");
  }

  @Test
  void airflowDagParsesAndEachTaskIsAValidPretextCommand() throws IOException, InterruptedException {
    // Python's own parser: every SparkSubmitOperator call's java_class and application_args, names as placeholders
    String script = """
        import ast, json, sys
        tree = ast.parse(open(sys.argv[1]).read())
        consts = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                  if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
        def words(node):
            return [e.value if isinstance(e, ast.Constant) else "<" + ast.unparse(e) + ">" for e in node.elts]
        out = {"java_class": consts.get("MAIN_CLASS"), "application": consts.get("JOB_JAR"), "tasks": []}
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "pretext_task":
                out["tasks"].append(words(n.args[1]))
            if isinstance(n, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "spark.serializer" for k in n.keys):
                out["conf"] = {k.value: v.value for k, v in zip(n.keys, n.values)}
        print(json.dumps(out))
        """;
    Path py = tmp.resolve("dag.py");
    Files.writeString(py, script);
    String out = run(List.of("python3", py.toString(), DEPLOY.resolve("airflow/pretext_pretrain_dag.py").toString()), Map.of(), 0);
    JsonNode dag = JSON.readTree(out);
    assertEquals(PretextCli.class.getName(), dag.path("java_class").asText());
    assertEquals(JAR_IN_IMAGE, dag.path("application").asText());
    assertEquals(6, dag.path("tasks").size());
    List<String> commandsUsed = new ArrayList<>();
    for (JsonNode task : dag.path("tasks")) {
      List<String> args = new ArrayList<>();
      task.forEach(a -> args.add(a.asText()));
      checkCommandLine("airflow DAG", args);
      commandsUsed.add(args.get(0));
    }
    assertEquals(List.of("prepare-images", "pretrain", "evaluate", "embed", "finetune", "predict"), commandsUsed);
    checkSparkConf("airflow DAG", dag.path("conf"));
  }

  @Test
  void yarnExampleSubmitsAValidCommandThroughPretextSubmit() throws IOException, InterruptedException {
    run(List.of("bash", "-n", DEPLOY.resolve("yarn/pretrain-yarn.sh").toString()), Map.of(), 0);
    List<String> submitted = submitted(run(List.of(DEPLOY.resolve("yarn/pretrain-yarn.sh").toString()), fakeSpark(), 0));
    assertTrue(submitted.containsAll(List.of("--master", "yarn", "--deploy-mode", "cluster")), submitted.toString());
    checkCommandLine("yarn example", afterJar(submitted));
  }

  @Test
  void pretextSubmitKeepsTheCommandAfterFlagsWithoutValues() throws IOException, InterruptedException {
    List<String> s = submitted(run(List.of(submit(), "--verbose", "--supervise", "pretrain", "--data", "d", "--run", "r"), fakeSpark(), 0));
    assertEquals(List.of("pretrain", "--data", "d", "--run", "r"), afterJar(s));
    assertTrue(s.contains("--verbose") && s.contains("--supervise"));
    assertEquals(PretextCli.class.getName(), s.get(s.indexOf("--class") + 1));

    String err = run(List.of(submit(), "--master", "pretrain", "--data", "d"), fakeSpark(), 2);
    assertTrue(err.contains("--master needs a value, but the next word is the command 'pretrain'"), err);
    err = run(List.of(submit(), "--master", "local[2]", "pretrian"), fakeSpark(), 2);
    assertTrue(err.contains("expected a pretext command") && err.contains("pretrian"), err);
  }

  @Test
  void pretextSubmitDefaultsYieldToTheUserAndDeriveTheOverhead() throws IOException, InterruptedException {
    List<String> s = submitted(run(List.of(submit(), "--executor-memory", "8g", "evaluate", "--train", "a", "--test", "b"), fakeSpark(), 0));
    Map<String, String> conf = confs(s);
    assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
    assertEquals(PretextKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
    assertEquals("false", conf.get("spark.speculation"));
    assertEquals("true", conf.get("spark.eventLog.enabled"));
    assertFalse(conf.containsKey("spark.executor.memory"), "--executor-memory given: no default for it");
    // 4 GiB off-heap (the default) + max(384 MiB, 8 GiB / 10)
    assertEquals(4096 + 819 + "m", conf.get("spark.executor.memoryOverhead"));
    assertTrue(conf.get("spark.executor.extraJavaOptions").contains("maxphysicalbytes=" + (8192 + 4096 + 819) + "M"), conf.toString());

    s = submitted(run(List.of(submit(), "--conf", "spark.speculation=true", "--conf=spark.executor.memoryOverhead=9g", "pretrain"),
        fakeSpark(), 0));
    assertEquals(1, s.stream().filter(a -> a.startsWith("spark.speculation=")).count(), "no default beside the user's");
    assertTrue(s.contains("spark.speculation=true"));
    assertEquals(List.of("--conf=spark.executor.memoryOverhead=9g"), s.stream().filter(a -> a.contains("spark.executor.memoryOverhead=")).toList(),
        "the user's overhead, and no default beside it");
    assertTrue(confs(s).get("spark.executor.extraJavaOptions").contains("maxphysicalbytes=" + (4096 + 9216) + "M"), s.toString());

    Path conf2 = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(conf2.resolve("spark-defaults.conf"), "# admin\nspark.eventLog.dir   hdfs:///events\nspark.task.cpus 2\n");
    Map<String, String> env = new LinkedHashMap<>(fakeSpark());
    env.put("SPARK_CONF_DIR", conf2.toString());
    Map<String, String> c = confs(submitted(run(List.of(submit(), "pretrain"), env, 0)));
    assertFalse(c.containsKey("spark.eventLog.dir") || c.containsKey("spark.task.cpus"), "the cluster's defaults win: " + c);

    String dry = run(List.of(submit(), "--dry-run", "pretrain", "--data", "a b"), fakeSpark(), 0);
    assertTrue(dry.contains("--class io.pretext.jobs.cli.PretextCli") && dry.contains("a\\ b"), dry);
  }

  private String submit() {
    return DEPLOY.resolve("spark/pretext-submit").toString();
  }

  /** A SPARK_HOME whose bin/spark-submit prints its arguments, one per line, and a job jar file. */
  private Map<String, String> fakeSpark() throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("spark/bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\nprintf 'ARG %s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = tmp.resolve("job.jar");
    Files.write(jar, new byte[] {0});
    Files.createDirectories(tmp.resolve("events"));
    return Map.of("SPARK_HOME", tmp.resolve("spark").toString(), "PRETEXT_JOB_JAR", jar.toString(), "SPARK_CONF_DIR",
        tmp.resolve("no-conf").toString(), "PRETEXT_EVENT_LOG_DIR", "file://" + tmp.resolve("events"));
  }

  private static List<String> submitted(String out) {
    return out.lines().filter(l -> l.startsWith("ARG ")).map(l -> l.substring(4)).toList();
  }

  private static List<String> afterJar(List<String> args) {
    int i = args.indexOf("--class");
    return args.subList(i + 3, args.size());
  }

  private static Map<String, String> confs(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals("--conf")) {
        String kv = args.get(i + 1);
        out.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      } else if (args.get(i).startsWith("--conf=")) {
        String kv = args.get(i).substring("--conf=".length());
        out.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    return out;
  }

  /** Runs a command (10 s at most), asserts its exit code, returns stdout and stderr together. */
  private static String run(List<String> cmd, Map<String, String> env, int expectedExit) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), cmd + " did not finish");
    assertEquals(expectedExit, p.exitValue(), cmd + " printed:\n" + out);
    return out;
  }
}

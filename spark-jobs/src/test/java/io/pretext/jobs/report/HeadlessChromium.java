package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven through the DevTools protocol over a WebSocket on the loopback interface (the
 * JDK's own HTTP and WebSocket clients; no driver library). Launched as the tests run as root in CI: without the
 * sandbox, without the GPU, QUIC, background networking, component updates or sync, with a fresh profile; the
 * debugging port is chosen by Chromium and read from the profile's {@code DevToolsActivePort}.
 *
 * <p>Events (console messages, exceptions, log entries, network requests) are kept in {@link #events()} for the test
 * to inspect.
 */
final class HeadlessChromium implements AutoCloseable {
  static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Process process, WebSocket.Builder builder, URI page) throws Exception {
    this.process = process;
    this.socket = builder.buildAsync(page, new Listener()).get(30, TimeUnit.SECONDS);
  }

  /**
   * The Chromium binary: {@code PRETEXT_CHROMIUM}, else the first of {@link #CANDIDATES} that exists.
   *
   * @throws AssertionError if there is none, saying how to install it (the test fails rather than skip)
   */
  static Path binary() {
    String env = System.getenv("PRETEXT_CHROMIUM");
    List<String> tried = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      tried.add(env);
    }
    tried.addAll(CANDIDATES);
    for (String candidate : tried) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("this test renders the run report in a real browser and needs Debian's Chromium, which is not"
        + " installed (looked for " + tried + "). Install it: apt-get install -y --no-install-recommends chromium"
        + " (.ci/run installs it), or point PRETEXT_CHROMIUM at a Chromium binary.");
  }

  /** Starts Chromium on about:blank with a fresh profile in {@code profile} and connects to its page. */
  static HeadlessChromium start(Path profile) throws Exception {
    Files.createDirectories(profile);
    Path log = profile.resolve("chromium.log");
    Process p = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 1 && !Files.readAllLines(portFile).get(0).isBlank())) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("Chromium did not start (exit " + (p.isAlive() ? "none, timed out" : p.exitValue()) + "): "
              + Files.readString(log));
        }
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asText())) {
          return new HeadlessChromium(p, http.newWebSocketBuilder(), URI.create(t.path("webSocketDebuggerUrl").asText()));
        }
      }
      throw new IllegalStateException("Chromium has no page target: " + targets);
    } catch (Exception | Error e) {
      destroy(p);
      throw e;
    }
  }

  /** Sends a DevTools command and waits for its result (at most 60 s). */
  JsonNode send(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
    JsonNode r = reply.get(60, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + " failed: " + r.get("error"));
    }
    return r.path("result");
  }

  /** Waits up to {@code seconds} for an event named {@code method}. */
  JsonNode await(String method, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (JsonNode e : events) {
        if (method.equals(e.path("method").asText())) {
          return e;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no " + method + " event within " + seconds + " s");
  }

  List<JsonNode> events() {
    return events;
  }

  @Override
  public void close() {
    socket.abort();
    destroy(process);
  }

  private static void destroy(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Collects the frames of each message, then routes it: a reply to its command, anything else to the events. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder buffer = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buffer.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(buffer.toString());
          if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
              f.complete(m);
            }
          } else {
            events.add(m);
          }
        } catch (IOException e) {
          events.add(JSON.createObjectNode().put("method", "test.unparsable").put("text", buffer.toString()));
        }
        buffer.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}

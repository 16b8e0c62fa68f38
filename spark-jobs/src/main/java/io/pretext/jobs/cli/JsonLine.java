package io.pretext.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The single machine-readable line every command prints last on stdout. */
public final class JsonLine {
  private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.INDENT_OUTPUT, false);

  private JsonLine() {}

  public static String of(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise result", e);
    }
  }

  /** Prints {@code {"command": ..., "status": "ok", ...fields}}. */
  public static void ok(PrintStream out, String command, Map<String, ?> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", command);
    m.put("status", "ok");
    m.putAll(fields);
    out.println(of(m));
    out.flush();
  }

  /** {@link #ok(PrintStream, String, Map)} to a writer, e.g. picocli's {@code CommandLine.getOut()}. */
  public static void ok(java.io.PrintWriter out, String command, Map<String, ?> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", command);
    m.put("status", "ok");
    m.putAll(fields);
    out.println(of(m));
    out.flush();
  }

  /** Prints {@code {"command": ..., "status": "error", "error": message}}. */
  public static void error(PrintStream out, String command, String status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", command);
    m.put("status", status);
    m.put("error", message);
    out.println(of(m));
    out.flush();
  }
}

package io.pretext.jobs.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The report's HTML pieces: escaping, tables and inline images. Every string from a file goes through {@link #escape}. */
final class Html {
  private Html() {}

  /** Text safe inside an element or a double-quoted attribute. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return out.toString();
  }

  /** A two-column table of names and values (values escaped). */
  static String keyValues(Map<String, String> rows) {
    StringBuilder sb = new StringBuilder("<table class=\"kv\">");
    rows.forEach((k, v) -> sb.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>"));
    return sb.append("</table>").toString();
  }

  /** A table with a header row; cells escaped. Columns whose header starts with '#' are right-aligned numbers. */
  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder("<table class=\"grid\"><tr>");
    for (String h : header) {
      sb.append(h.startsWith("#") ? "<th class=\"num\">" : "<th>").append(escape(h.startsWith("#") ? h.substring(1) : h)).append("</th>");
    }
    sb.append("</tr>");
    for (List<String> row : rows) {
      sb.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        boolean num = i < header.size() && header.get(i).startsWith("#");
        sb.append(num ? "<td class=\"num\">" : "<td>").append(escape(row.get(i))).append("</td>");
      }
      sb.append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  /**
   * An inline PNG ({@code data:} URI) shown at {@code displayWidth x displayHeight} CSS pixels, with its natural size
   * in {@code data-width}/{@code data-height} for the browser test.
   *
   * @param pixelated scale with nearest neighbours (small images stay sharp)
   */
  static String png(byte[] png, int naturalWidth, int naturalHeight, int displayWidth, int displayHeight, String alt, boolean pixelated) {
    return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\" width=\"" + displayWidth + "\" height=\""
        + displayHeight + "\" data-width=\"" + naturalWidth + "\" data-height=\"" + naturalHeight + "\" alt=\"" + escape(alt) + "\""
        + (pixelated ? " class=\"px\"" : "") + ">";
  }
}

package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLinesTest {
  static List<String> lines(byte[] data, long cap) throws IOException {
    ByteLines l = new ByteLines(new ByteArrayInputStream(data), cap);
    List<String> out = new ArrayList<>();
    while (l.next()) {
      out.add(l.complete() ? new String(l.bytes(), StandardCharsets.UTF_8) : "<" + l.length() + " bytes>");
    }
    return out;
  }

  static List<String> lines(String s) throws IOException {
    return lines(s.getBytes(StandardCharsets.UTF_8), 1000);
  }

  @Test
  void lineBreaksAsLineRecordReaderSeesThem() throws IOException {
    assertEquals(List.of("a", "b"), lines("a\nb"));
    assertEquals(List.of("a"), lines("a\n"));
    assertEquals(List.of(), lines(""));
    assertEquals(List.of(""), lines("\n"));
    assertEquals(List.of("a", "", "b"), lines("a\r\n\r\nb\r\n"));
    assertEquals(List.of("x\ry"), lines("x\ry\n"), "a lone carriage return is not a line break");
    assertEquals(List.of("first", "\uFEFFsecond"), lines("\uFEFFfirst\n\uFEFFsecond"), "only the byte order mark at the start goes");
  }

  @Test
  void longLinesAreMeasuredNotKept() throws IOException {
    String big = "y".repeat(5000);
    assertEquals(List.of("short", "<5000 bytes>", "after"), lines(("short\n" + big + "\nafter").getBytes(StandardCharsets.UTF_8), 100));
    assertEquals(List.of("<101 bytes>", "ok"), lines(("z".repeat(101) + "\r\nok").getBytes(StandardCharsets.UTF_8), 100));
    assertEquals(List.of("z".repeat(100)), lines(("z".repeat(100) + "\r\n").getBytes(StandardCharsets.UTF_8), 100), "CR is not counted");
  }

  /** A stream that returns at most 7 bytes per read, so lines and CR LF pairs straddle reads. */
  @Test
  void linesAcrossReadsAndChunks() throws IOException {
    StringBuilder b = new StringBuilder();
    List<String> expect = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String line = "line " + i + " " + "w".repeat(i % 97);
      expect.add(line);
      b.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    byte[] data = b.toString().getBytes(StandardCharsets.UTF_8);
    InputStream trickle = new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < data.length ? data[pos++] & 0xFF : -1;
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        if (pos >= data.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, 7), data.length - pos);
        System.arraycopy(data, pos, buf, off, n);
        pos += n;
        return n;
      }
    };
    ByteLines l = new ByteLines(trickle, 10_000);
    assertEquals(-1, l.firstNulInHead());
    List<String> got = new ArrayList<>();
    while (l.next()) {
      got.add(new String(l.bytes(), StandardCharsets.UTF_8));
      assertEquals(got.size(), l.number());
    }
    assertEquals(expect, got);
  }

  @Test
  void nulInTheFirst8KiBMarksABinaryFile() throws IOException {
    byte[] data = new byte[9000];
    java.util.Arrays.fill(data, (byte) 'a');
    data[8500] = 0;
    assertEquals(-1, new ByteLines(new ByteArrayInputStream(data), 100).firstNulInHead(), "git looks at the first 8000 bytes");
    data[100] = 0;
    ByteLines l = new ByteLines(new ByteArrayInputStream(data), 100_000);
    assertEquals(100, l.firstNulInHead());
    assertTrue(l.next(), "the sniffed bytes are still read");
    assertEquals(9000, l.length());
    ByteLines utf16 = new ByteLines(new ByteArrayInputStream(new byte[] {(byte) 0xFF, (byte) 0xFE, 'h', 0, 'i', 0}), 100);
    assertEquals(3, utf16.firstNulInHead());
    assertTrue(utf16.utf16Mark());
    assertFalse(new ByteLines(new ByteArrayInputStream(new byte[] {'a', 0}), 10).utf16Mark());
  }

  @Test
  void growableKeepsWithinTheCapAndCountsBeyond() {
    ByteLines.Growable g = new ByteLines.Growable(5);
    g.append("abc".getBytes(StandardCharsets.UTF_8), 0, 3, 3);
    g.appendByte((byte) '\n');
    assertTrue(g.complete());
    assertArrayEquals("abc\n".getBytes(StandardCharsets.UTF_8), g.bytes());
    g.append("xyz".getBytes(StandardCharsets.UTF_8), 0, 3, 3);
    assertFalse(g.complete());
    assertEquals(7, g.length());
  }
}

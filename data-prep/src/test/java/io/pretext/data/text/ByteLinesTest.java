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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
    assertEquals(new ByteLines.Head(ByteLines.SNIFF_BYTES, 0), l.head(), "the sample is filled across short reads");
    List<String> got = new ArrayList<>();
    while (l.next()) {
      got.add(new String(l.bytes(), StandardCharsets.UTF_8));
      assertEquals(got.size(), l.number());
    }
    assertEquals(expect, got);
  }

  /** {@code length} bytes of 'a' with a NUL at every 19th byte from 0, {@code nuls} of them. */
  static byte[] textWithNuls(int length, int nuls) {
    byte[] data = new byte[length];
    Arrays.fill(data, (byte) 'a');
    for (int i = 0; i < nuls; i++) {
      data[i * 19] = 0;
    }
    return data;
  }

  static ByteLines.Head head(byte[] data) throws IOException {
    return new ByteLines(new ByteArrayInputStream(data), 100).head();
  }

  /** More than 5% control bytes in the first 8 KiB make a file binary: 409 of 8192 do not, 410 do. */
  @Test
  void binaryIsMoreThanOneControlByteInTwentyOfTheFirst8KiB() throws IOException {
    assertEquals(new ByteLines.Head(8192, 409), head(textWithNuls(9000, 409)));
    assertFalse(head(textWithNuls(9000, 409)).binary(), "409 of 8192 = 4.99%");
    assertTrue(head(textWithNuls(9000, 410)).binary(), "410 of 8192 = 5.005%");
    assertFalse(head(textWithNuls(9000, 1)).binary(), "one stray NUL");

    byte[] late = textWithNuls(20_000, 0);
    Arrays.fill(late, 8192, 20_000, (byte) 0);
    assertEquals(new ByteLines.Head(8192, 0), head(late), "bytes after the sample do not count");

    // A file shorter than the sample is its own sample: 5 of 100 is text, 6 of 100 binary.
    assertEquals(new ByteLines.Head(100, 5), head(textWithNuls(100, 5)));
    assertFalse(head(textWithNuls(100, 5)).binary());
    assertTrue(head(textWithNuls(100, 6)).binary());
    assertFalse(head(new byte[0]).binary(), "an empty file is empty, not binary");

    ByteLines l = new ByteLines(new ByteArrayInputStream(textWithNuls(9000, 410)), 100_000);
    assertTrue(l.head().binary());
    assertTrue(l.next(), "the sampled bytes are still read");
    assertEquals(9000, l.length());
  }

  @Test
  void controlBytesAreTheC0ControlsTextDoesNotUseAndDel() {
    // Written out: NUL..ACK, SO..SUB, FS..US, DEL; not BEL, BS, tab, LF, VT, FF, CR (0x07..0x0D), ESC (0x1B) or >= 0x80.
    Set<Integer> control = new HashSet<>();
    for (int b = 0x00; b <= 0x06; b++) {
      control.add(b);
    }
    for (int b = 0x0E; b <= 0x1A; b++) {
      control.add(b);
    }
    for (int b = 0x1C; b <= 0x1F; b++) {
      control.add(b);
    }
    control.add(0x7F);
    assertEquals(25, control.size());
    for (int b = 0; b < 256; b++) {
      assertEquals(control.contains(b), ByteLines.isControl((byte) b), String.format("byte %02X", b));
    }
  }

  /** Random bytes (compressed, encrypted, image data) are binary: about 9.8% of them are control bytes. */
  @Test
  void randomBytesAreBinary() throws IOException {
    for (long seed = 0; seed < 50; seed++) {
      byte[] data = new byte[10_000];
      new Random(seed).nextBytes(data);
      ByteLines.Head h = head(data);
      assertTrue(h.binary(), "seed " + seed + ": " + h);
    }
    byte[] utf16 = "plain text in UTF-16".getBytes(StandardCharsets.UTF_16LE);
    assertTrue(head(utf16).binary(), "every other byte is NUL");
    ByteLines bom = new ByteLines(new ByteArrayInputStream(new byte[] {(byte) 0xFF, (byte) 0xFE, 'h', 0, 'i', 0}), 100);
    assertTrue(bom.head().binary());
    assertTrue(bom.utf16Mark());
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

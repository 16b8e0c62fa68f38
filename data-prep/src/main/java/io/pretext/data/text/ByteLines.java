package io.pretext.data.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at line feeds, on the raw bytes (no decoding, so invalid UTF-8 stays visible), with a
 * carriage return before the line feed removed and a UTF-8 byte order mark at the start dropped. A line longer than
 * {@code cap} bytes is measured but not kept, so one enormous line cannot exhaust the executor's memory.
 */
final class ByteLines {
  /** Bytes examined for the binary-file test: git's 8000, rounded up. */
  static final int SNIFF_BYTES = 8192;
  /**
   * A file is binary when more than this share (in percent) of its sampled bytes are control bytes ({@link #isControl}).
   * Uniformly random bytes (compressed, encrypted or image data) hold 25 control bytes in 256, 9.8%; text holds almost
   * none. The threshold sits between, about 14 standard deviations below random data at a full 8 KiB sample, so a
   * compressed file is not taken for text, while 409 stray NULs in 8 KiB of text still are (one per 20 bytes).
   */
  static final int BINARY_PERCENT = 5;

  private final InputStream in;
  private final int cap;
  private final byte[] chunk = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[256];
  private int kept;
  private long length;
  private long number;

  /** @param cap most bytes of a line kept; longer lines are only measured */
  ByteLines(InputStream in, long cap) {
    this.in = in;
    this.cap = (int) Math.min(cap, Integer.MAX_VALUE - 16);
  }

  /**
   * What the first bytes of a file say about it: how many were sampled (up to {@link #SNIFF_BYTES}; fewer only for a
   * shorter file) and how many of them are control bytes.
   */
  record Head(int length, int controls) {
    /** More than {@link #BINARY_PERCENT} percent of the sample are control bytes. */
    boolean binary() {
      return (long) controls * 100 > (long) length * BINARY_PERCENT;
    }
  }

  /**
   * Whether {@code b} is a control byte that text does not hold: NUL and the other C0 controls, and DEL, except those
   * text uses (libmagic's table, which {@code file} decides "text" by): tab, line feed, vertical tab, form feed,
   * carriage return, and also bell, backspace (nroff's overstrike in formatted manual pages) and escape (ANSI colours in
   * logs). Bytes from 0x80 up are never control bytes here: UTF-8 is checked per document.
   */
  static boolean isControl(byte b) {
    return (b >= 0 && b < 0x20 && (b < 0x07 || b > 0x0D) && b != 0x1B) || b == 0x7F;
  }

  /**
   * Reads ahead up to {@link #SNIFF_BYTES} (kept: the lines are still read from the start) and counts what is there: the
   * binary-file test.
   */
  Head head() throws IOException {
    while (!eof && limit < SNIFF_BYTES) {
      int n = in.read(chunk, limit, chunk.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
    int length = Math.min(limit, SNIFF_BYTES);
    int controls = 0;
    for (int i = 0; i < length; i++) {
      if (isControl(chunk[i])) {
        controls++;
      }
    }
    return new Head(length, controls);
  }

  /** The first two bytes name a UTF-16 byte order mark (FF FE or FE FF); valid only after {@link #head()}. */
  boolean utf16Mark() {
    return limit >= 2 && ((chunk[0] == (byte) 0xFF && chunk[1] == (byte) 0xFE) || (chunk[0] == (byte) 0xFE && chunk[1] == (byte) 0xFF));
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    kept = 0;
    length = 0;
    boolean any = false;
    boolean lastWasCr = false;
    while (true) {
      if (pos >= limit) {
        if (eof || !fill()) {
          if (!any) {
            return false;
          }
          break;
        }
      }
      any = true;
      int start = pos;
      int end = start;
      while (end < limit && chunk[end] != '\n') {
        end++;
      }
      append(start, end);
      if (end > start) {
        lastWasCr = chunk[end - 1] == '\r';
      }
      if (end < limit) {
        pos = end + 1;
        break;
      }
      pos = limit;
    }
    if (lastWasCr) {
      length--;
      kept = (int) Math.min(kept, length);
    }
    number++;
    if (number == 1 && kept >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
      System.arraycopy(line, 3, line, 0, kept - 3);
      kept -= 3;
      length -= 3;
    }
    return true;
  }

  private boolean fill() throws IOException {
    pos = 0;
    limit = 0;
    int n = in.read(chunk, 0, chunk.length);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit = n;
    return n > 0 || fill();
  }

  private void append(int start, int end) {
    int n = end - start;
    length += n;
    int room = (int) Math.min(n, (long) cap - kept);
    if (room > 0) {
      if (kept + room > line.length) {
        line = Arrays.copyOf(line, (int) Math.min(Math.max(line.length * 2L, kept + room), Integer.MAX_VALUE - 16));
      }
      System.arraycopy(chunk, start, line, kept, room);
      kept += room;
    }
  }

  /** The 1-based number of the current line. */
  long number() {
    return number;
  }

  /** The current line's size in bytes (line break excluded). */
  long length() {
    return length;
  }

  /** Whether the whole current line was kept ({@link #length()} at most the cap). */
  boolean complete() {
    return kept == length;
  }

  /** The kept bytes of the current line (the whole line when {@link #complete()}). */
  byte[] bytes() {
    return Arrays.copyOf(line, kept);
  }

  /** Whether the current line holds only ASCII whitespace (or nothing): a paragraph break. */
  boolean blank() {
    if (!complete()) {
      return false;
    }
    for (int i = 0; i < kept; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != 0x0B && b != 0x0C) {
        return false;
      }
    }
    return true;
  }

  void appendTo(Growable out) {
    out.append(line, 0, kept, length);
  }

  /** A byte buffer that keeps its content while it stays within a cap, and past it only counts. */
  static final class Growable {
    private final long cap;
    private byte[] buf = new byte[1024];
    private int kept;
    private long length;

    Growable(long cap) {
      this.cap = Math.min(cap, Integer.MAX_VALUE - 16);
    }

    /** Appends {@code n} kept bytes of a piece of {@code fullLength} bytes ({@code n < fullLength} when it was cut). */
    void append(byte[] b, int off, int n, long fullLength) {
      length += fullLength;
      if (length <= cap) {
        if (kept + n > buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(Math.max(buf.length * 2L, kept + n), Integer.MAX_VALUE - 16));
        }
        System.arraycopy(b, off, buf, kept, n);
        kept += n;
      }
    }

    void appendByte(byte b) {
      append(new byte[] {b}, 0, 1, 1);
    }

    long length() {
      return length;
    }

    /** Whether everything appended was kept. */
    boolean complete() {
      return length <= cap;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, kept);
    }

    void reset() {
      kept = 0;
      length = 0;
    }
  }
}

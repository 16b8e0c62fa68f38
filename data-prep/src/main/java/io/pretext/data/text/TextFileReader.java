package io.pretext.data.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Reads one text or JSON Lines file inside an executor, streaming, into {@link RawDocument}s: one per line, paragraph or
 * file. Compressed files are decompressed by the codec Hadoop associates with their extension ({@code .gz},
 * {@code .bz2}, ...). Never throws: a binary file becomes one {@code binary} entry, a stream that breaks off (a damaged
 * gzip member, an I/O error) keeps the documents before the break and adds one {@code corrupt} entry for the rest. A
 * file that yields no document at all (zero bytes, after decompression; in paragraph mode also only blank lines)
 * becomes one {@code empty} entry for the file, as it does with {@code --doc-split file}, so every file read is counted.
 *
 * <p>Binary or text is decided by what the first 8 KiB (after decompression) say ({@link ByteLines.Head#binary()}):
 * more than {@value ByteLines#BINARY_PERCENT}% NUL or other control bytes make the file one {@code binary} entry,
 * unread. Below that the file is read, and only the documents holding a NUL are quarantined ({@code nul_byte}, by
 * {@link DocumentValidator}), so a stray NUL at the top of a large text dump costs one document, not the file.
 *
 * <p>Sources: {@code <file>:<line>} (1-based line number in the decompressed file, the first line of a paragraph), or
 * {@code <file>} for a whole file.
 */
final class TextFileReader implements Iterator<RawDocument> {
  private final String path;
  private final Configuration conf;
  private final boolean lineDocuments;
  private final DocSplit split;
  private final long maxDocBytes;
  private InputStream in;
  private ByteLines lines;
  private RawDocument next;
  private boolean started;
  private boolean done;
  private boolean any;

  private TextFileReader(String path, Configuration conf, TextFormat format, DocSplit split, long maxDocBytes) {
    this.path = path;
    this.conf = conf;
    this.lineDocuments = format == TextFormat.JSONL || split == DocSplit.LINE;
    this.split = format == TextFormat.JSONL ? DocSplit.LINE : split;
    this.maxDocBytes = maxDocBytes;
  }

  /** The documents of the file at {@code path} (a Hadoop URI), read lazily. */
  static Iterator<RawDocument> read(String path, Configuration conf, TextFormat format, DocSplit split, long maxDocBytes) {
    return new TextFileReader(path, conf, format, split, maxDocBytes);
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public RawDocument next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RawDocument d = next;
    next = null;
    return d;
  }

  private RawDocument advance() {
    if (!started) {
      started = true;
      try {
        open();
        ByteLines.Head head = lines.head();
        if (head.binary()) {
          finish();
          return RawDocument.rejected(path, Reason.BINARY.key(), String.format(Locale.ROOT,
              "%d of the first %d bytes (%.1f%%) are NUL or other control bytes, more than %d%%: not a text file%s", head.controls(),
              head.length(), 100.0 * head.controls() / head.length(), ByteLines.BINARY_PERCENT,
              lines.utf16Mark() ? " (a UTF-16 byte order mark: convert it to UTF-8)" : ""));
        }
      } catch (IOException | RuntimeException e) {
        finish();
        return RawDocument.rejected(path, Reason.CORRUPT.key(), "cannot open: " + e);
      }
    }
    try {
      RawDocument d = lineDocuments ? line() : split == DocSplit.PARAGRAPH ? paragraph() : file();
      if (d == null) {
        finish();
        if (!any) {
          any = true;
          return RawDocument.rejected(path, Reason.EMPTY.key(), lineDocuments ? "no line: the file is zero bytes"
              : "no paragraph: the file is zero bytes or only blank lines");
        }
      }
      any = true;
      return d;
    } catch (IOException | RuntimeException e) {
      long at = lines.number() + 1;
      finish();
      return RawDocument.rejected(split == DocSplit.FILE ? path : path + ":" + at, Reason.CORRUPT.key(),
          "the file cannot be read past line " + (at - 1) + " (" + e + "); the documents before it are kept");
    }
  }

  private void open() throws IOException {
    Path p = new Path(path);
    InputStream raw = p.getFileSystem(conf).open(p);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
    try {
      in = codec == null ? raw : codec.createInputStream(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
    lines = new ByteLines(in, maxDocBytes);
  }

  private RawDocument line() throws IOException {
    if (!lines.next()) {
      return null;
    }
    String source = path + ":" + lines.number();
    return lines.complete() ? RawDocument.of(source, lines.bytes()) : RawDocument.oversized(source, lines.length());
  }

  private RawDocument paragraph() throws IOException {
    ByteLines.Growable para = new ByteLines.Growable(maxDocBytes);
    long first = -1;
    while (lines.next()) {
      if (lines.blank()) {
        if (first >= 0) {
          break;
        }
        continue;
      }
      if (first < 0) {
        first = lines.number();
      } else {
        para.appendByte((byte) '\n');
      }
      lines.appendTo(para);
    }
    if (first < 0) {
      return null;
    }
    String source = path + ":" + first;
    return para.complete() ? RawDocument.of(source, para.bytes()) : RawDocument.oversized(source, para.length());
  }

  private RawDocument file() throws IOException {
    if (lines == null) {
      return null;
    }
    ByteLines.Growable all = new ByteLines.Growable(maxDocBytes);
    boolean firstLine = true;
    while (lines.next()) {
      if (!firstLine) {
        all.appendByte((byte) '\n');
      }
      firstLine = false;
      lines.appendTo(all);
    }
    lines = null;
    return all.complete() ? RawDocument.of(path, all.bytes()) : RawDocument.oversized(path, all.length());
  }

  private void finish() {
    done = true;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Reading is over; a failing close cannot lose data.
      }
      in = null;
    }
  }
}

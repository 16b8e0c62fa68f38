package io.pretext.data.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.Checksums;
import io.pretext.data.text.tokenizer.BasicTokenizer;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns a {@link RawDocument} into a {@link TextOutcome} inside an executor. Never throws: every problem becomes a
 * quarantine entry with a {@link Reason}. In order:
 * <ol>
 *   <li>a rejection from reading (binary file, broken stream) stays one;
 *   <li>more than {@code maxDocBytes} raw bytes: {@code oversized};
 *   <li>a NUL byte: {@code nul_byte};
 *   <li>not UTF-8, decided on the raw bytes with a strict decoder (Spark's text source would have replaced bad bytes
 *       with U+FFFD without a word): {@code invalid_utf8}, with the byte offset;
 *   <li>JSON Lines: not one JSON object ({@code malformed_json}), no string text field or no label
 *       ({@code missing_field}), a label that is neither a string nor an integer ({@code bad_label});
 *   <li>{@link TextNormalizer} (controls out, NFC/NFKC); nothing left that BERT's tokenizer would keep (only whitespace,
 *       control and format characters): {@code empty}.
 * </ol>
 * An accepted document gets its content id: the first 128 bits (32 hex chars) of SHA-256 over the normalised UTF-8.
 */
public final class DocumentValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean json;
  private final String textField;
  private final String labelField;
  private final long maxDocBytes;
  private final UnicodeForm form;
  private final BasicTokenizer basic;
  private transient ObjectMapper mapper;

  public DocumentValidator(PrepareTextConfig config, TextFormat resolved) {
    this.json = resolved == TextFormat.JSONL;
    this.textField = config.textField();
    this.labelField = config.labelField();
    this.maxDocBytes = config.maxDocBytes();
    this.form = config.normalize();
    this.basic = new BasicTokenizer(config.lowercase());
  }

  public TextOutcome validate(RawDocument d) {
    try {
      return check(d);
    } catch (RuntimeException | StackOverflowError e) {
      return TextOutcome.quarantined(d.source, json ? Reason.MALFORMED_JSON.key() : Reason.CORRUPT.key(), "validation failed: " + e);
    }
  }

  private TextOutcome check(RawDocument d) {
    if (d.rejectReason != null) {
      return TextOutcome.quarantined(d.source, d.rejectReason, d.rejectDetail);
    }
    if (d.bytes == null || d.size > maxDocBytes) {
      return quarantine(d, Reason.OVERSIZED, d.size + " bytes, more than --max-doc-bytes " + maxDocBytes);
    }
    byte[] b = d.bytes;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return quarantine(d, Reason.NUL_BYTE, "NUL byte at offset " + i);
      }
    }
    String raw;
    try {
      raw = strictUtf8(b);
    } catch (InvalidUtf8 e) {
      return quarantine(d, Reason.INVALID_UTF8, e.getMessage());
    }
    String text = raw;
    String label = d.label;
    boolean labelIsInt = d.labelIsInt;
    if (json) {
      if (raw.isBlank()) {
        return quarantine(d, Reason.EMPTY, "blank line");
      }
      JsonNode node;
      try {
        node = mapper().readTree(raw);
      } catch (JsonProcessingException e) {
        return quarantine(d, Reason.MALFORMED_JSON, e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        return quarantine(d, Reason.MALFORMED_JSON, "a JSON " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)) + ", not an object");
      }
      JsonNode t = node.get(textField);
      if (t == null || t.isNull() || !t.isTextual()) {
        return quarantine(d, Reason.MISSING_FIELD, "text field '" + textField + "' is " + describe(t) + ", not a string");
      }
      text = t.textValue();
      if (labelField != null) {
        JsonNode l = node.get(labelField);
        if (l == null || l.isNull()) {
          return quarantine(d, Reason.MISSING_FIELD, "label field '" + labelField + "' is " + describe(l));
        }
        if (l.isTextual() && !l.textValue().isBlank()) {
          label = l.textValue();
          labelIsInt = false;
        } else if (l.isIntegralNumber() && l.canConvertToInt()) {
          label = Integer.toString(l.intValue());
          labelIsInt = true;
        } else {
          return quarantine(d, Reason.BAD_LABEL, "label field '" + labelField + "' is " + describe(l) + "; a label is a non-blank string or an int");
        }
      }
      int nul = text.indexOf('\0');
      if (nul >= 0) {
        return quarantine(d, Reason.NUL_BYTE, "NUL character (\\u0000) at character " + nul + " of the text field");
      }
    }
    String normalized = TextNormalizer.normalize(text, form);
    if (!basic.hasWords(normalized)) {
      return quarantine(d, Reason.EMPTY, normalized.isEmpty() ? "no text" : "only whitespace, control or format characters");
    }
    return TextOutcome.accepted(d.source, contentId(normalized), normalized, label, labelIsInt);
  }

  private static TextOutcome quarantine(RawDocument d, Reason reason, String detail) {
    return TextOutcome.quarantined(d.source, reason.key(), detail);
  }

  private static String describe(JsonNode n) {
    if (n == null) {
      return "missing";
    }
    if (n.isNull()) {
      return "null";
    }
    String s = n.toString();
    return "a " + n.getNodeType().name().toLowerCase(Locale.ROOT) + " (" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + ")";
  }

  private ObjectMapper mapper() {
    if (mapper == null) {
      // Jackson refuses strings over 20 M characters by default; --max-doc-bytes is the limit here.
      JsonFactory factory = JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build();
      mapper = new ObjectMapper(factory)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
    return mapper;
  }

  /** The first 128 bits of SHA-256 over the UTF-8 of {@code normalized}, as 32 hex chars. */
  public static String contentId(String normalized) {
    return HexFormat.of().formatHex(Checksums.sha256().digest(normalized.getBytes(StandardCharsets.UTF_8)), 0, 16);
  }

  /** Decodes UTF-8, refusing malformed input (overlong forms, surrogates, truncated sequences) with the byte offset. */
  static String strictUtf8(byte[] b) throws InvalidUtf8 {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b);
    CharBuffer out = CharBuffer.allocate(b.length);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      StringBuilder bytes = new StringBuilder();
      for (int i = at; i < Math.min(b.length, at + Math.max(r.length(), 1)); i++) {
        bytes.append(String.format(" %02X", b[i] & 0xFF));
      }
      throw new InvalidUtf8("invalid UTF-8 at byte " + at + " (" + bytes.toString().trim() + ")");
    }
    dec.flush(out);
    return out.flip().toString();
  }

  static final class InvalidUtf8 extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidUtf8(String message) {
      super(message);
    }
  }
}

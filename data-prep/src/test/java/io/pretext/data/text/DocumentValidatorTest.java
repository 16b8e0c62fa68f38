package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The validator alone, on cases the end-to-end test does not reach. */
class DocumentValidatorTest {
  static DocumentValidator json(long maxDocBytes) {
    PrepareTextConfig c = new PrepareTextConfig("in", "out", TextFormat.JSONL, null, null, null, "y", null, null, UnicodeForm.NFC, true,
        maxDocBytes, 128, false, null, 100, 2, 1000, 1, 1, false);
    return new DocumentValidator(c, TextFormat.JSONL);
  }

  static TextOutcome check(DocumentValidator v, String line) {
    return v.validate(RawDocument.of("s", line.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aDocumentBeyondJacksonsDefaultStringLimitIsAccepted() {
    String text = "word ".repeat(4_400_000);
    TextOutcome o = check(json(64L << 20), "{\"text\": \"" + text + "\", \"y\": 1}");
    assertTrue(o.isAccepted(), o.reason() + ": " + o.detail());
    assertEquals(DocumentValidator.contentId(text), o.id());
  }

  @Test
  void labelsAndDeeplyNestedJson() {
    DocumentValidator v = json(1 << 20);
    assertEquals("7", check(v, "{\"text\": \"a\", \"y\": 7}").label());
    assertTrue(check(v, "{\"text\": \"a\", \"y\": 7}").labelIsInt());
    assertEquals("bad_label", check(v, "{\"text\": \"a\", \"y\": 3000000000}").reason(), "beyond a 32-bit int");
    assertEquals("bad_label", check(v, "{\"text\": \"a\", \"y\": true}").reason());
    assertEquals("bad_label", check(v, "{\"text\": \"a\", \"y\": \" \"}").reason());
    assertEquals("missing_field", check(v, "{\"text\": \"a\"}").reason());
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    TextOutcome nested = check(v, deep);
    assertEquals("malformed_json", nested.reason(), nested.detail());
  }

  @Test
  void oversizedAndRejectedStayAsTheyWere() {
    DocumentValidator v = json(10);
    assertEquals("oversized", v.validate(RawDocument.oversized("s", 5000)).reason());
    assertEquals("oversized", check(v, "{\"text\": \"0123456789\"}").reason());
    assertEquals("corrupt", v.validate(RawDocument.rejected("s", "corrupt", "gzip")).reason());
  }
}

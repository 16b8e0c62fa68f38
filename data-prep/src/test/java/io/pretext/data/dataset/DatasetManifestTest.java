package io.pretext.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.DatasetKind;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DatasetManifestTest {

  private static DatasetManifest manifest(String kind) {
    return new DatasetManifest(DatasetManifest.SCHEMA_VERSION, kind, new DatasetManifest.Source("in", "files", null),
        new TreeMap<>(), 1, null, null, new DatasetManifest.Counts(0, 0, 0, 0, new TreeMap<>()), List.of());
  }

  @Test
  void knownKindsRoundTrip() {
    for (DatasetKind kind : DatasetKind.values()) {
      DatasetManifest read = DatasetManifest.fromJson(manifest(kind.manifestName()).toJson());
      assertEquals(kind, read.datasetKind());
    }
  }

  @Test
  void textSectionRoundTripsAndImageManifestsDoNotMentionIt() {
    DatasetManifest.TextSection text = new DatasetManifest.TextSection(DatasetManifest.TextSection.BERT_WORDPIECE, true, "nfc", 128, false,
        "vocab.txt", "ab".repeat(32), 8000, "trained", 10, 1, 12, 300, 276, 3, 0.01087);
    DatasetManifest m = new DatasetManifest(DatasetManifest.SCHEMA_VERSION, "text", new DatasetManifest.Source("in.jsonl", "jsonl", "label"),
        new TreeMap<>(), 1, null, text, List.of("a", "b"), new DatasetManifest.Counts(11, 10, 1, 0, new TreeMap<>()), List.of());
    DatasetManifest read = DatasetManifest.fromJson(m.toJson());
    assertEquals(m, read);
    assertEquals(text, read.text());
    assertEquals(DatasetKind.TEXT, read.datasetKind());
    String image = manifest("image").toJson();
    assertTrue(!image.contains("\"text\""), "an image manifest is byte-for-byte what it was before text existed:\n" + image);
    assertEquals(null, DatasetManifest.fromJson(image).text());
  }

  @Test
  void unknownKindIsRefusedOnReadNamingItAndTheKnownKinds() {
    String json = manifest("video").toJson();
    DatasetException e = assertThrows(DatasetException.class, () -> DatasetManifest.fromJson(json));
    assertTrue(e.getMessage().contains("'video'") && e.getMessage().contains("image, text"), e.getMessage());
  }
}

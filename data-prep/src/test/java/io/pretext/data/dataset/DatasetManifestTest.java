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
  void unknownKindIsRefusedOnReadNamingItAndTheKnownKinds() {
    String json = manifest("video").toJson();
    DatasetException e = assertThrows(DatasetException.class, () -> DatasetManifest.fromJson(json));
    assertTrue(e.getMessage().contains("'video'") && e.getMessage().contains("image, text"), e.getMessage());
  }
}

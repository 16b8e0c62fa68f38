package io.pretext.data.prep;

import io.pretext.data.dataset.DatasetManifest;

/** What {@code prepare-images} produced: where, the manifest it wrote, and how long it took. */
public record PrepareResult(String output, DatasetManifest manifest, long elapsedMillis) {}

package io.pretext.data.text;

import io.pretext.data.dataset.DatasetManifest;

/**
 * What {@code prepare-text} produced: where, the manifest it wrote, how long it took in all, and how long the vocabulary
 * took (word counting and training; 0 with {@code --vocab}).
 */
public record PrepareTextResult(String output, DatasetManifest manifest, long elapsedMillis, long vocabularyMillis) {}

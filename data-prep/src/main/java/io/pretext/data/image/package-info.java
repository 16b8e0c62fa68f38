/**
 * Decoding and normalising single images: format sniffing, header-only size checks (so a
 * decompression bomb is refused before any pixel is allocated), conversion to 1 or 3 channels,
 * deterministic resizing, and the IDX (MNIST) container format.
 *
 * <p>Everything here is plain Java on byte arrays, safe to call inside Spark executors.
 */
package io.pretext.data.image;

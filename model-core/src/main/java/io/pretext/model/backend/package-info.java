/**
 * ND4J backend integration: {@link io.pretext.model.backend.LayerHelpers} switches on DL4J's oneDNN layer helpers
 * for the CPU backend and reports which layers use them. See {@code docs/performance.md}.
 */
package io.pretext.model.backend;

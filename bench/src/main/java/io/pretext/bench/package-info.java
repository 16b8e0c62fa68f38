/**
 * Benchmarks. {@link io.pretext.bench.ViewThroughputBench} measures single-threaded (per-core) view-generation
 * throughput of {@code io.pretext.data.augment}; {@link io.pretext.bench.TextThroughputBench} the per-core throughput of
 * tokenisation and dynamic masking ({@code io.pretext.data.text}). Build and run:
 * {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar ViewThroughput -f 1 -wi 2 -i 3}.
 * {@link io.pretext.bench.TrainThroughputBench} (DL4J training) and {@link io.pretext.bench.WordPieceBench} (WordPiece
 * training and tokenisation next to HuggingFace) run from the class path.
 */
package io.pretext.bench;

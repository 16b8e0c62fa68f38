/**
 * JMH benchmarks. {@link io.pretext.bench.ViewThroughputBench} measures single-threaded (per-core)
 * view-generation throughput of {@code io.pretext.data.augment}. Build and run:
 * {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar ViewThroughput -f 1 -wi 2 -i 3}.
 */
package io.pretext.bench;

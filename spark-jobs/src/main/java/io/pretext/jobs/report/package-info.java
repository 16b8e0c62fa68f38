/**
 * {@code pretext report}: a run as one self-contained HTML page ({@link io.pretext.jobs.report.RunReport}): provenance,
 * the dataset and its quarantine ({@link io.pretext.jobs.report.QuarantinePreview}), training curves drawn as inline
 * SVG ({@link io.pretext.jobs.report.SvgChart}), the run's augmented views, a nearest-neighbour grid computed on Spark
 * ({@link io.pretext.jobs.report.NeighbourGrid}) and the recorded evaluations.
 */
package io.pretext.jobs.report;

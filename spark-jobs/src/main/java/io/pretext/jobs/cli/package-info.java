/**
 * The {@code pretext} command line: one picocli command per job. Commands are thin: they turn
 * flags into validated configuration objects (before any Spark work), call the job, and print one
 * JSON line with the result on stdout. Exit codes: 0 success, 1 the job failed, 2 bad usage.
 */
package io.pretext.jobs.cli;

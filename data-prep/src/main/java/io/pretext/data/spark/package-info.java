/** Spark plumbing shared by every job: the session factory, Kryo registration, Hadoop configuration shipping. */
package io.pretext.data.spark;

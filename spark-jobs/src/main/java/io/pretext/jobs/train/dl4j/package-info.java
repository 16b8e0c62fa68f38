/** DL4J's {@code dl4j-spark3} parameter averaging behind {@link io.pretext.jobs.train.DistributedTrainer}. Nothing else imports dl4j-spark. */
package io.pretext.jobs.train.dl4j;

/** The Fashion-MNIST demo: prepare, pretrain SimCLR, evaluate against the pixel and random-encoder baselines. */
package io.pretext.jobs.demo;

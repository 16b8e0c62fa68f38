/** Helpers shared by the validated configuration records of every module. */
package io.pretext.model.config;

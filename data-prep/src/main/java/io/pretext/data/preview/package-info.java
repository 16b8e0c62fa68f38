/** Pictures for people: what a view recipe does to real records, before hours of cluster time are spent on it. */
package io.pretext.data.preview;

/**
 * The momentum encoder shared by the methods that keep one (BYOL's target network, MoCo's key encoder): a frozen twin
 * inside the training graph, updated by an exponential moving average of the online network.
 */
package io.pretext.model.momentum;

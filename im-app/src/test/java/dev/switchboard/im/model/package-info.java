/**
 * A seeded randomized model test of message delivery: a reference model of the chat semantics, random operations
 * run over real loopback sockets against the real server on each store, and a checker that compares what every
 * connection received with what the model allows. See {@code DeliveryModelTest} for how to run and replay it.
 */
package dev.switchboard.im.model;

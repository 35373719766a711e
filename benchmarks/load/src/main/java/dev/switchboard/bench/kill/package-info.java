/**
 * Kill under load: the server in a child JVM is SIGKILLed every few seconds while clients send, restarted on the
 * same data, and the clients reconnect and resume as real ones do; at the end every recipient's deliveries are
 * checked for lost, reordered and duplicated messages and broken seqs.
 */
package dev.switchboard.bench.kill;

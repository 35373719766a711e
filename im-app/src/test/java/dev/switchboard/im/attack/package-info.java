/**
 * Attack tests: one hostile-client vector of docs/security.md per test, over real loopback sockets against an
 * in-process server, each asserting the defined answer, that a bystander is still served, at most one log line per
 * offending connection, and what the attack cost the server ({@link dev.switchboard.im.attack.Arena}).
 */
package dev.switchboard.im.attack;

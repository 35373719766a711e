/** The delivery model test: a reference model, seeded random operations over real sockets, and a checker. */
package dev.switchboard.im.model;

/** Jazzer fuzz tests of the IM's packet bodies and of its whole server pipeline; see docs/framework.md, "Fuzzing". */
package dev.switchboard.im.fuzz;

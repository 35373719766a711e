/** JMH microbenchmarks of the framework: codec, dispatch and startup scan. Run with {@code java -jar benchmarks/target/benchmarks.jar}. */
package dev.switchboard.benchmarks;

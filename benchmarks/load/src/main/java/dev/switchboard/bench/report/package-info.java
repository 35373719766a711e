/** How results are shown: the common result contract, the text table and the JSON file. */
package dev.switchboard.bench.report;

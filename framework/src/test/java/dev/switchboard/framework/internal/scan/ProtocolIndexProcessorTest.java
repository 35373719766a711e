package dev.switchboard.framework.internal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolIndexProcessorTest {

    static final Map<String, String> PROTOCOL = Map.of(
            "idx.p.Hello", "package idx.p; import dev.switchboard.framework.Command;\n"
                    + "@Command(code = 1, anonymous = true) public record Hello(String text) {}",
            "idx.p.Reply", "package idx.p; import dev.switchboard.framework.Command;\n"
                    + "@Command(code = 2) public record Reply(String text) {}",
            "idx.p.Plain", "package idx.p; class Plain {}",
            "idx.p.sub.Handlers", "package idx.p.sub; import dev.switchboard.framework.Handles; import idx.p.*;\n"
                    + "public class Handlers {\n"
                    + "  @Handles public Reply hello(Hello hello) { return new Reply(hello.text()); }\n"
                    + "  static class Nested { Runnable anonymous = new Runnable() { public void run() {} }; }\n"
                    + "}");

    @TempDir
    Path dir;

    @Test
    void listsEveryTypeOfTheCompilationWithItsRole() throws IOException {
        IndexedSources.compile(dir.resolve("src"), dir.resolve("out"), true, PROTOCOL);

        assertThat(IndexedSources.index(dir.resolve("out"))).isEqualTo("""
                # switchboard protocol index 1
                C idx.p.Hello
                - idx.p.Plain
                C idx.p.Reply
                H idx.p.sub.Handlers
                - idx.p.sub.Handlers$Nested
                """);
    }

    @Test
    void anIncrementalCompileKeepsTheEntriesOfTheTypesItDidNotRecompile() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, PROTOCOL);

        IndexedSources.compile(dir.resolve("src2"), out, true, Map.of(
                "idx.p.Later", "package idx.p; import dev.switchboard.framework.Command;\n"
                        + "@Command(code = 3) public record Later() {}",
                "idx.p.Plain", "package idx.p; import dev.switchboard.framework.Command;\n"
                        + "@Command(code = 4) record Plain() {}"));

        assertThat(IndexedSources.index(out)).isEqualTo("""
                # switchboard protocol index 1
                C idx.p.Hello
                C idx.p.Later
                C idx.p.Plain
                C idx.p.Reply
                H idx.p.sub.Handlers
                - idx.p.sub.Handlers$Nested
                """);
    }

    @Test
    void anEntryWhoseTypeIsGoneIsDropped() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, PROTOCOL);
        Files.delete(out.resolve("idx/p/Reply.class")); // as a build deletes the class of a deleted source

        IndexedSources.compile(dir.resolve("src2"), out, true, Map.of("idx.p.Plain", "package idx.p; class Plain {}"));

        assertThat(IndexedSources.index(out)).doesNotContain("Reply").contains("C idx.p.Hello", "- idx.p.Plain");
    }

    @Test
    void aCompilationWithoutTheProcessorWritesNoIndex() throws IOException {
        IndexedSources.compile(dir.resolve("src"), dir.resolve("out"), false, PROTOCOL);

        assertThat(IndexedSources.index(dir.resolve("out"))).isNull();
    }
}

package dev.switchboard.im.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The line logged at start: every option, its origin, secrets masked. */
class EffectiveConfigurationTest {

    @TempDir
    Path dir;

    @Command(name = "fake", mixinStandardHelpOptions = true)
    static final class Fake implements Runnable {
        @Option(names = "--config")
        Path config;

        @Option(names = "--db-password")
        String dbPassword;

        @Option(names = "--port")
        int port = 8000;

        @Option(names = "--host")
        String host = "0.0.0.0";

        @Option(names = "--admin-port")
        Integer adminPort;

        @Override
        public void run() {}
    }

    @Test
    void printsEveryOptionWithItsOriginAndMasksSecrets() throws Exception {
        Path config = Files.write(dir.resolve("fake.properties"), List.of("db-password=hunter2", "port=9000"));
        CommandLine fake = new CommandLine(new Fake());
        ConfigDefaults.install(fake, fake, Map.of("SWITCHBOARD_HOST", "127.0.0.1"));
        fake.parseArgs("--config", config.toString());

        EffectiveConfiguration effective = EffectiveConfiguration.of(fake.getCommandSpec());

        assertThat(effective.entries()).containsExactly(
                new EffectiveConfiguration.Entry("admin-port", EffectiveConfiguration.UNSET, Origin.DEFAULT),
                new EffectiveConfiguration.Entry("config", config.toString(), Origin.FLAG),
                new EffectiveConfiguration.Entry("db-password", EffectiveConfiguration.MASK, Origin.FILE),
                new EffectiveConfiguration.Entry("host", "127.0.0.1", Origin.ENV),
                new EffectiveConfiguration.Entry("port", "9000", Origin.FILE));
        assertThat(effective.toString())
                .isEqualTo("configuration (config file " + config + "): admin-port=<unset> (default), config="
                        + config + " (flag), db-password=**** (file), host=127.0.0.1 (env), port=9000 (file)")
                .doesNotContain("hunter2");
    }
}

package dev.switchboard.im.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.im.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The {@code server} command's file and environment under its flags, and the errors naming a bad source. */
class ConfigDefaultsTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private Path file(String... lines) throws Exception {
        return Files.write(dir.resolve("server.properties"), java.util.List.of(lines));
    }

    /** Parses {@code server args} without running it and returns the server's model. */
    private static CommandSpec parse(Map<String, String> env, String... args) {
        CommandLine main = Main.commandLine(env);
        String[] all = new String[args.length + 1];
        all[0] = "server";
        System.arraycopy(args, 0, all, 1, args.length);
        main.parseArgs(all);
        return main.getSubcommands().get("server").getCommandSpec();
    }

    /** Runs {@code server args} to its usage error and returns the exit status; the message is in {@link #err}. */
    private int refuse(Map<String, String> env, String... args) {
        CommandLine main = Main.commandLine(env);
        main.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "server";
        System.arraycopy(args, 0, all, 1, args.length);
        return main.execute(all);
    }

    private String firstErrorLine() {
        return err.toString().lines().findFirst().orElse("");
    }

    private static Object value(CommandSpec server, String option) {
        return server.findOption(option).getValue();
    }

    @Test
    void theFileIsUnderTheEnvironmentWhichIsUnderTheFlags() throws Exception {
        Path config = file("max-group-size=100", "rate-limit=50", "max-devices=3", "store=memory");
        Map<String, String> env = Map.of("SWITCHBOARD_MAX_GROUP_SIZE", "200", "SWITCHBOARD_RATE_LIMIT", "60");

        CommandSpec server = parse(env, "--config", config.toString(), "--rate-limit", "70");

        assertThat(value(server, "--max-devices")).isEqualTo(3); // file only
        assertThat(value(server, "--max-group-size")).isEqualTo(200); // env over file
        assertThat(value(server, "--rate-limit")).isEqualTo(70); // flag over both
        assertThat(value(server, "--port")).isEqualTo(8000); // none: the built-in default
        EffectiveConfiguration effective = EffectiveConfiguration.of(server);
        assertThat(effective.entry("max-devices")).hasValueSatisfying(e -> assertThat(e.origin()).isEqualTo(Origin.FILE));
        assertThat(effective.entry("max-group-size"))
                .hasValueSatisfying(e -> assertThat(e.origin()).isEqualTo(Origin.ENV));
        assertThat(effective.entry("rate-limit")).hasValueSatisfying(e -> assertThat(e.origin()).isEqualTo(Origin.FLAG));
        assertThat(effective.entry("port")).hasValueSatisfying(e -> assertThat(e.origin()).isEqualTo(Origin.DEFAULT));
    }

    @Test
    void aBooleanFlagOverridesTheFileEitherWay() throws Exception {
        Path on = file("closed-registration=true");

        assertThat(value(parse(Map.of(), "--config", on.toString()), "--closed-registration")).isEqualTo(true);
        assertThat(value(parse(Map.of(), "--config", on.toString(), "--closed-registration=false"),
                "--closed-registration")).isEqualTo(false);
        assertThat(value(parse(Map.of("SWITCHBOARD_CLOSED_REGISTRATION", "false"), "--closed-registration"),
                "--closed-registration")).isEqualTo(true);
    }

    @Test
    void theConfigFileMayComeFromTheEnvironment() throws Exception {
        Path config = file("max-devices=4");

        CommandSpec server = parse(Map.of("SWITCHBOARD_CONFIG", config.toString()));

        assertThat(value(server, "--max-devices")).isEqualTo(4);
        assertThat(EffectiveConfiguration.of(server).configFile()).map(ConfigFile::path).contains(config);
    }

    @Test
    void everyLongOptionIsAKeyWithNoSecondList() {
        CommandSpec server = parse(Map.of());
        ConfigKeys keys = ConfigKeys.of(server);

        server.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp() && !o.longestName().equals("--config"))
                .forEach(o -> assertThat(keys.option(o.longestName().substring(2))).contains(o));
        assertThat(keys.keys()).contains("max-group-size", "log-format", "admin-token-file").doesNotContain("config");
        assertThat(keys.optionOfEnv("SWITCHBOARD_MAX_GROUP_SIZE")).isPresent();
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheKeyAndTheFile() throws Exception {
        Path config = file("max-group-size=100", "max-grup-size=100");

        assertThat(refuse(Map.of(), "--config", config.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("config file " + config
                + ": unknown key 'max-grup-size' (did you mean 'max-group-size'?)");
    }

    @Test
    void anUnknownVariableIsAnErrorNamingIt() {
        assertThat(refuse(Map.of("SWITCHBOARD_MAX_GRUP_SIZE", "1", "PATH", "/bin"))).isEqualTo(2);
        assertThat(firstErrorLine()).startsWith("unknown environment variable SWITCHBOARD_MAX_GRUP_SIZE"
                + " (did you mean 'SWITCHBOARD_MAX_GROUP_SIZE'?)");
    }

    @Test
    void aBadValueIsAnErrorNamingTheKeyAndItsSource() throws Exception {
        Path config = file("port=eighty");

        assertThat(refuse(Map.of(), "--config", config.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).contains("'--port'").contains("'eighty'")
                .endsWith("(from port in config file " + config + ")");

        err.getBuffer().setLength(0);
        assertThat(refuse(Map.of("SWITCHBOARD_IDLE_TIMEOUT", "soon"))).isEqualTo(2);
        assertThat(firstErrorLine()).contains("'--idle-timeout'").contains("'soon'")
                .endsWith("(from SWITCHBOARD_IDLE_TIMEOUT)");

        err.getBuffer().setLength(0);
        assertThat(refuse(Map.of("SWITCHBOARD_LOG_FORMAT", "xml"))).isEqualTo(2);
        assertThat(firstErrorLine()).contains("'xml' is not a log format: text or json")
                .endsWith("(from SWITCHBOARD_LOG_FORMAT)");
    }

    @Test
    void aMissingFileIsAClearError() {
        Path missing = dir.resolve("missing.properties");

        assertThat(refuse(Map.of(), "--config", missing.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("config file " + missing + " does not exist");
    }

    @Test
    void aKeyGivenTwiceIsAnError() throws Exception {
        Path config = file("port=1", "port=2");

        assertThatThrownBy(() -> parse(Map.of(), "--config", config.toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessage("config file " + config + ": key 'port' is given twice");
    }
}

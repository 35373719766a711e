package dev.switchboard.im.server.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What a parsed command will run with: every option's value and where it came from, secrets masked, as one line
 * for the log at start, such as
 * {@code configuration (config file /etc/switchboard.properties): admin-host=127.0.0.1 (default), ...,
 * max-group-size=100 (env), port=9000 (file), store=memory (flag)}.
 *
 * @param configFile the file in use, if any
 * @param entries every option, sorted by key
 */
public record EffectiveConfiguration(Optional<ConfigFile> configFile, List<Entry> entries) {

    /** What {@link ConfigKeys#isSecret secret} values print as. */
    public static final String MASK = "****";
    /** What an option without a value (such as an unset {@code --admin-port}) prints as. */
    public static final String UNSET = "<unset>";

    public EffectiveConfiguration {
        entries = List.copyOf(entries);
    }

    /**
     * One option.
     *
     * @param key the option's key ({@link ConfigKeys#key})
     * @param value the value as printed: masked if secret
     * @param origin where the value came from
     */
    public record Entry(String key, String value, Origin origin) {
        @Override
        public String toString() {
            return key + "=" + value + " (" + origin + ")";
        }
    }

    /** The configuration of {@code command}, parsed by picocli with or without {@link ConfigDefaults}. */
    public static EffectiveConfiguration of(CommandSpec command) {
        ParseResult parsed = command.commandLine().getParseResult();
        ConfigDefaults defaults = command.commandLine().getDefaultValueProvider() instanceof ConfigDefaults d ? d
                : null;
        List<Entry> entries = new ArrayList<>();
        for (OptionSpec option : command.options()) {
            if (option.usageHelp() || option.versionHelp() || !option.longestName().startsWith("--")) {
                continue;
            }
            Origin origin = parsed != null && parsed.hasMatchedOption(option) ? Origin.FLAG
                    : defaults == null ? Origin.DEFAULT
                    : defaults.value(option).map(ConfigDefaults.Value::origin).orElse(Origin.DEFAULT);
            Object value = option.getValue();
            String printed = value == null ? UNSET : ConfigKeys.isSecret(option) ? MASK : String.valueOf(value);
            entries.add(new Entry(ConfigKeys.key(option), printed, origin));
        }
        entries.sort(Comparator.comparing(Entry::key));
        return new EffectiveConfiguration(defaults == null ? Optional.empty() : defaults.file(command), entries);
    }

    /** The entry of {@code key}. */
    public Optional<Entry> entry(String key) {
        return entries.stream().filter(entry -> entry.key().equals(key)).findFirst();
    }

    /** The line to log. */
    @Override
    public String toString() {
        return "configuration" + configFile.map(file -> " (config file " + file.path() + ")").orElse("") + ": "
                + entries.stream().map(Entry::toString).collect(Collectors.joining(", "));
    }
}

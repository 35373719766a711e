package dev.switchboard.im.server.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The defaults of a command's options from a configuration file and the environment, so that picocli converts and
 * checks their values exactly as it does the flags': precedence is file &lt; environment &lt; flags, since picocli
 * asks for a default only for an option the command line did not give. The file is {@code --config}, or
 * {@code SWITCHBOARD_CONFIG} without it; its keys are {@link ConfigKeys}'.
 *
 * <p>Unknown keys in the file and unknown {@code SWITCHBOARD_*} variables are errors naming them (and the nearest
 * valid one): a typo must not silently leave the default in force. Errors are {@link ParameterException}s, usage
 * errors (exit status 2) like a bad flag; a value that does not convert is named by {@link ConfigErrors}.
 *
 * <p>Picocli asks again for every option each time it parses or prints help; the file is read once per path.
 * Single-threaded, as picocli is.
 */
public final class ConfigDefaults implements IDefaultValueProvider {

    private final Map<String, String> env;
    private ConfigKeys keys;
    private ConfigFile file;

    /** @param environment the process's environment ({@link System#getenv()}); only {@code SWITCHBOARD_*} is read */
    public ConfigDefaults(Map<String, String> environment) {
        Map<String, String> ours = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ConfigKeys.ENV_PREFIX)) {
                ours.put(name, value);
            }
        });
        this.env = Map.copyOf(ours);
    }

    /**
     * Takes {@code server}'s defaults from a file and {@code environment}, and lets {@code root} (the command line
     * that runs it, possibly {@code server} itself) name the source of a bad value.
     */
    public static void install(CommandLine root, CommandLine server, Map<String, String> environment) {
        server.setDefaultValueProvider(new ConfigDefaults(environment));
        root.setParameterExceptionHandler(new ConfigErrors(root.getParameterExceptionHandler()));
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        return value(option).map(Value::text).orElse(null);
    }

    /** Where an option's default comes from: the environment, the file, or (empty) its built-in default. */
    public Optional<Value> value(OptionSpec option) {
        CommandSpec command = option.command();
        String key = ConfigKeys.key(option);
        String variable = ConfigKeys.envName(key);
        if (keys(command).optionOfEnv(variable).isEmpty()) {
            return Optional.empty(); // a help option
        }
        String fromEnv = env.get(variable);
        if (fromEnv != null) {
            return Optional.of(new Value(Origin.ENV, variable, fromEnv.strip()));
        }
        return file(command).flatMap(f -> Optional.ofNullable(f.values().get(key))
                .map(text -> new Value(Origin.FILE, key + " in config file " + f.path(), text)));
    }

    /** The configuration file in use, read and checked, if there is one. */
    public Optional<ConfigFile> file(CommandSpec command) {
        ConfigKeys keys = keys(command);
        Optional<Path> path = configPath(command);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        if (file == null || !file.path().equals(path.get())) {
            ConfigFile read;
            try {
                read = ConfigFile.read(path.get());
            } catch (ConfigException e) {
                throw new ParameterException(command.commandLine(), e.getMessage(), e, null, path.get().toString());
            }
            for (String key : read.values().keySet()) {
                if (keys.option(key).isEmpty()) {
                    throw new ParameterException(command.commandLine(), "config file " + path.get()
                            + ": unknown key '" + key + "'" + keys.suggestKey(key));
                }
            }
            file = read;
        }
        return Optional.of(file);
    }

    /** {@code --config} if given, else {@code SWITCHBOARD_CONFIG}. */
    private Optional<Path> configPath(CommandSpec command) {
        OptionSpec config = command.findOption(ConfigKeys.CONFIG_OPTION);
        if (config == null) {
            return Optional.empty();
        }
        Object given = config.getValue();
        if (given != null) {
            return Optional.of(Path.of(given.toString()));
        }
        String fromEnv = env.get(ConfigKeys.envName(ConfigKeys.key(config)));
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv.strip()));
    }

    /** The keys of {@code command}, made once; every {@code SWITCHBOARD_*} variable must be one of them. */
    private ConfigKeys keys(CommandSpec command) {
        if (keys == null) {
            ConfigKeys made = ConfigKeys.of(command);
            for (String variable : env.keySet()) {
                if (made.optionOfEnv(variable).isEmpty()) {
                    throw new ParameterException(command.commandLine(), "unknown environment variable " + variable
                            + made.suggestEnv(variable) + "; every " + ConfigKeys.ENV_PREFIX
                            + "* variable must name a server option");
                }
            }
            keys = made;
        }
        return keys;
    }

    /**
     * A default and its source.
     *
     * @param origin {@link Origin#ENV} or {@link Origin#FILE}
     * @param source the variable, or the key and the file, for messages
     * @param text the value as written
     */
    public record Value(Origin origin, String source, String text) {}
}

package dev.switchboard.im.server.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The configuration keys of a command, derived from its picocli model so that every option, present and future, is
 * configurable with no second list to keep in step: the key of {@code --max-group-size} is {@code max-group-size}
 * and its environment variable {@code SWITCHBOARD_MAX_GROUP_SIZE}. Help options have no key, and {@code --config}
 * only an environment variable (a file does not name another file). Immutable.
 */
public final class ConfigKeys {

    /** The prefix of every environment variable the server reads. */
    public static final String ENV_PREFIX = "SWITCHBOARD_";
    /** The option naming the configuration file. */
    public static final String CONFIG_OPTION = "--config";

    /** The last word of a key that holds a secret itself (not a path to one): its value is never printed. */
    private static final Set<String> SECRET_WORDS = Set.of("password", "passphrase", "secret", "token", "credentials");

    private final Map<String, OptionSpec> byKey;
    private final Map<String, OptionSpec> byEnv;

    private ConfigKeys(Map<String, OptionSpec> byKey, Map<String, OptionSpec> byEnv) {
        this.byKey = Collections.unmodifiableMap(byKey);
        this.byEnv = Collections.unmodifiableMap(byEnv);
    }

    /** The keys of {@code spec}'s options. */
    public static ConfigKeys of(CommandSpec spec) {
        Map<String, OptionSpec> byKey = new TreeMap<>();
        Map<String, OptionSpec> byEnv = new TreeMap<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || !option.longestName().startsWith("--")) {
                continue;
            }
            String key = key(option);
            byEnv.put(envName(key), option);
            if (!option.longestName().equals(CONFIG_OPTION)) {
                byKey.put(key, option);
            }
        }
        return new ConfigKeys(byKey, byEnv);
    }

    /** The key of an option: its long name without the dashes. */
    public static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** The environment variable of a key: {@code max-group-size} is {@code SWITCHBOARD_MAX_GROUP_SIZE}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The option a file key sets. */
    public Optional<OptionSpec> option(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The option an environment variable sets. */
    public Optional<OptionSpec> optionOfEnv(String variable) {
        return Optional.ofNullable(byEnv.get(variable));
    }

    /** Every key a file may hold, sorted. */
    public Set<String> keys() {
        return byKey.keySet();
    }

    /** Whether {@code option} holds a secret, so that its value must be masked wherever it is printed. */
    public static boolean isSecret(OptionSpec option) {
        String key = key(option);
        return option.interactive() || SECRET_WORDS.contains(key.substring(key.lastIndexOf('-') + 1));
    }

    /** {@code " (did you mean 'x'?)"} for the key nearest to an unknown one, or "" if none is near. */
    public String suggestKey(String unknown) {
        return suggest(unknown, byKey.keySet());
    }

    /** As {@link #suggestKey}, for an unknown environment variable. */
    public String suggestEnv(String unknown) {
        return suggest(unknown, byEnv.keySet());
    }

    private static String suggest(String unknown, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Near means a typo or two, not any key at all.
        return best != null && bestDistance <= Math.max(2, unknown.length() / 4) ? " (did you mean '" + best + "'?)"
                : "";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

package dev.switchboard.im.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serial;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A configuration file as read: a Java properties file in UTF-8 ({@code key=value} lines, {@code #} comments; a
 * backslash escapes, so Windows paths take {@code /} or {@code \\}). Values are stripped of surrounding spaces, and
 * a key given twice is an error rather than last-wins, since one of the two is a mistake. The keys are not checked
 * here: {@link ConfigDefaults} knows which exist.
 *
 * @param path the file
 * @param values every key with its value, sorted by key
 */
public record ConfigFile(Path path, Map<String, String> values) {

    public ConfigFile {
        values = Map.copyOf(values);
    }

    /**
     * Reads {@code path}.
     *
     * @throws ConfigException naming the file: missing, not a file, unreadable, not UTF-8, or a key given twice
     */
    public static ConfigFile read(Path path) {
        if (Files.isDirectory(path)) {
            throw new ConfigException("config file " + path + " is a directory");
        }
        NoDuplicates properties = new NoDuplicates(path);
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + path + " does not exist");
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + path + " is not UTF-8");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.forEach((key, value) -> values.put((String) key, ((String) value).strip()));
        return new ConfigFile(path, values);
    }

    /** Properties that refuse a key seen before ({@link Properties#load} calls {@code put} for each line). */
    private static final class NoDuplicates extends Properties {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient Path path;

        NoDuplicates(Path path) {
            this.path = path;
        }

        @Override
        public synchronized Object put(Object key, Object value) {
            if (containsKey(key)) {
                throw new ConfigException("config file " + path + ": key '" + key + "' is given twice");
            }
            return super.put(key, value);
        }
    }
}

package dev.switchboard.im;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Checks for options naming a file to read, shared by the {@code server} and {@code client} commands. */
public final class FileOption {

    private FileOption() {}

    /** A usage error naming the option and the file unless {@code file} is a readable regular file. */
    public static void requireReadable(CommandLine command, String option, Path file) {
        String problem = !Files.exists(file) ? "does not exist" : !Files.isRegularFile(file) ? "is not a file"
                : !Files.isReadable(file) ? "cannot be read" : null;
        if (problem != null) {
            throw new ParameterException(command, option + " " + file + ": " + problem);
        }
    }
}

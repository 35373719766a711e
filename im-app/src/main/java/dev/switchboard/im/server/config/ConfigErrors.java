package dev.switchboard.im.server.config;

import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Names the source of a value that picocli could not convert when it came from the configuration file or the
 * environment: picocli's own message names only the option ({@code Invalid value for option '--port': 'x' is not
 * an int}), which would send an operator looking at a command line that does not hold it. Adds
 * {@code (from port in config file /etc/switchboard.properties)} or {@code (from SWITCHBOARD_PORT)}, then lets
 * the usual handler print it. Stateless.
 */
final class ConfigErrors implements IParameterExceptionHandler {

    private final IParameterExceptionHandler printer;

    ConfigErrors(IParameterExceptionHandler printer) {
        this.printer = printer;
    }

    @Override
    public int handleParseException(ParameterException error, String[] args) throws Exception {
        return printer.handleParseException(withSource(error), args);
    }

    static ParameterException withSource(ParameterException error) {
        if (!(error.getArgSpec() instanceof OptionSpec option)
                || !(error.getCommandLine().getDefaultValueProvider() instanceof ConfigDefaults defaults)) {
            return error;
        }
        // The same option may also be on the command line: only a value equal to the default's came from it.
        return defaults.value(option)
                .filter(value -> value.text().equals(error.getValue()))
                .map(value -> new ParameterException(error.getCommandLine(),
                        error.getMessage() + " (from " + value.source() + ")", error, option, error.getValue()))
                .orElse(error);
    }
}

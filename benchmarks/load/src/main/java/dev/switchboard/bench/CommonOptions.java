package dev.switchboard.bench;

import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.target.ServerAddresses;
import dev.switchboard.bench.target.TargetKind;
import dev.switchboard.bench.target.TargetLauncher;
import dev.switchboard.bench.target.TargetOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options every workload takes: the target, timing, wire format and output. */
final class CommonOptions {

    @Option(names = "--target", defaultValue = "external", converter = TargetKindConverter.class,
            description = "external (running servers at --host/--port or --servers), baseline (the relay in this"
                    + " JVM), baseline-child (the relay in a child JVM), child (the IM server in a child JVM) or"
                    + " cluster (--nodes IM servers in child JVMs on a PostgreSQL and a Redis started for the run)."
                    + " Default: ${DEFAULT-VALUE}.")
    TargetKind target;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Server host; loopback only. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", description = "Server port, for --target external.")
    Integer port;

    @Option(names = "--servers", paramLabel = "HOST:PORT,...", converter = ServerAddressesConverter.class,
            description = "Several running servers (the nodes of a cluster), for --target external instead of"
                    + " --host/--port; loopback only. Client i connects to server i mod n; kill-mode clients that"
                    + " lose their server resume on the next one in the list.")
    ServerAddresses servers;

    @Option(names = "--admin-port", description = "The server's admin listener port, for --target external"
            + " (the first of --servers; the connections workload reads heap and RSS from it).")
    Integer adminPort;

    @Option(names = "--store", defaultValue = "memory",
            description = "Store of a child IM server: memory, sqlite or postgres (on a PostgreSQL started for the"
                    + " run, unless --server-arg=--postgres names one). Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(names = "--nodes", defaultValue = "3",
            description = "Nodes of --target cluster. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--compare-single", description = "With --target cluster: run the same workload first against"
            + " one child IM server on PostgreSQL (the same PostgreSQL, a database of its own) and one on SQLite,"
            + " then against the cluster, and print the ratios cluster / each single server.")
    boolean compareSingle;

    @Option(names = "--server-jar", paramLabel = "PATH", defaultValue = TargetLauncher.DEFAULT_IM_SERVER_JAR,
            description = "The IM server's jar, for --target child and cluster (java -cp PATH dev.switchboard.im.Main"
                    + " server ...); relative to the working directory. Default: ${DEFAULT-VALUE}.")
    Path serverJar;

    @Option(names = "--compare", description = "Run the same workload against the baseline relay first (in a child"
            + " JVM unless --target baseline) and print the throughput ratio target/baseline.")
    boolean compare;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Measured time (500ms, 10s, 2m). Default depends on the workload.")
    Duration duration;

    @Option(names = "--warmup", converter = DurationConverter.class,
            description = "Unmeasured traffic before measuring. Default depends on the workload.")
    Duration warmup;

    @Option(names = "--serializer", defaultValue = "json", converter = SerializerConverter.class,
            description = "Body format: json or jsonb. Default: ${DEFAULT-VALUE}.")
    BodyFormat serializer;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path jsonOut;

    @Option(names = "--client-threads",
            description = "Client event loop threads. Default: half the cores (at least 1), leaving the rest to the"
                    + " server: on a small machine more generator threads mostly add context switches.")
    Integer clientThreads;

    @Option(names = "--server-jvm-opt", paramLabel = "OPTION",
            description = "JVM option for child servers, repeatable (e.g. --server-jvm-opt=-Xmx1g).")
    List<String> serverJvmOptions = new ArrayList<>();

    @Option(names = "--server-arg", paramLabel = "ARG",
            description = "Extra argument for a child IM server, repeatable (e.g. --server-arg=--max-group-size"
                    + " --server-arg=10000).")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--ready-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long a child server may take to start. Default: ${DEFAULT-VALUE}.")
    Duration readyTimeout;

    @Option(names = "--tls", description = "Speak TLS, trusting any certificate (the bench targets this machine"
            + " only); a child IM server is started with --tls-self-signed. Not for the baseline relay.")
    boolean tls;

    @Option(names = "--keep-data", description = "Keep a child server's data directory (and its server.log).")
    boolean keepData;

    /** Why these options cannot run together, or null. */
    String conflict() {
        if (tls && (compare || target == TargetKind.BASELINE || target == TargetKind.BASELINE_CHILD)) {
            return "--tls needs --target child, cluster or external, without --compare: the baseline relay has no"
                    + " TLS";
        }
        if (servers != null && (target != TargetKind.EXTERNAL || port != null)) {
            return "--servers is for --target external, instead of --port";
        }
        if (compareSingle && (target != TargetKind.CLUSTER || compare)) {
            return "--compare-single needs --target cluster, without --compare";
        }
        if (nodes < 1) {
            return "--nodes must be >= 1, not " + nodes;
        }
        return null;
    }

    /**
     * The targets to run, in order, each with its store: the baseline before the target with {@code --compare};
     * one child on PostgreSQL and one on SQLite before the cluster with {@code --compare-single}.
     */
    List<PlannedTarget> plan() {
        if (compareSingle) {
            return List.of(new PlannedTarget(TargetKind.CHILD, "postgres"), new PlannedTarget(TargetKind.CHILD,
                    "sqlite"), new PlannedTarget(TargetKind.CLUSTER, "postgres"));
        }
        if (compare) {
            return List.of(new PlannedTarget(target.baselineCounterpart(), store), new PlannedTarget(target, store));
        }
        return List.of(new PlannedTarget(target, store));
    }

    /** One target of a command's plan. */
    record PlannedTarget(TargetKind kind, String store) {}

    Duration durationOr(Duration fallback) {
        return duration != null ? duration : fallback;
    }

    Duration warmupOr(Duration fallback) {
        return warmup != null ? warmup : fallback;
    }

    int clientThreads() {
        return clientThreads != null ? clientThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * How to reach or start the targets. With {@code --target child} the server jar must exist (checked here, so a
     * missing jar stops the run before a {@code --compare} baseline runs); other targets never read it.
     */
    TargetOptions targetOptions() {
        List<String> childArgs = new ArrayList<>(serverArgs);
        if (tls) {
            childArgs.add("--tls-self-signed");
        }
        String imServerClasspath = target == TargetKind.CHILD || target == TargetKind.CLUSTER
                ? TargetLauncher.imServerJar(serverJar)
                : serverJar.toString();
        return new TargetOptions(host, port, servers, adminPort, store, nodes, imServerClasspath, serverJvmOptions,
                childArgs, readyTimeout, keepData);
    }

    /** The options as recorded in the JSON report. */
    Map<String, Object> describe() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("target", target.cliName());
        options.put("host", host);
        if (port != null) {
            options.put("port", port);
        }
        if (servers != null) {
            options.put("servers", servers.toString());
        }
        if (target == TargetKind.CHILD) {
            options.put("store", store);
        }
        if (target == TargetKind.CLUSTER) {
            options.put("nodes", nodes);
            options.put("compareSingle", compareSingle);
        }
        options.put("compare", compare);
        options.put("tls", tls);
        options.put("serializer", serializer.name().toLowerCase(Locale.ROOT));
        options.put("clientThreads", clientThreads());
        options.put("cores", Runtime.getRuntime().availableProcessors());
        return options;
    }

    /** Reads {@code json} or {@code jsonb}. */
    static final class SerializerConverter implements ITypeConverter<BodyFormat> {
        @Override
        public BodyFormat convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "json" -> BodyFormat.JSON;
                case "jsonb" -> BodyFormat.JSONB;
                default -> throw new TypeConversionException("'" + value + "' is not json or jsonb");
            };
        }
    }

    /** Reads {@code HOST:PORT,HOST:PORT}. */
    static final class ServerAddressesConverter implements ITypeConverter<ServerAddresses> {
        @Override
        public ServerAddresses convert(String value) {
            try {
                return ServerAddresses.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads a {@link TargetKind} by its command-line name. */
    static final class TargetKindConverter implements ITypeConverter<TargetKind> {
        @Override
        public TargetKind convert(String value) {
            try {
                return TargetKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}

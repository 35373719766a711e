package dev.switchboard.bench.kill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.target.ChildServerTarget;
import dev.switchboard.bench.target.ClusterTarget;
import dev.switchboard.bench.target.RestartableTarget;
import dev.switchboard.bench.target.TargetKind;
import dev.switchboard.bench.target.TargetLauncher;
import dev.switchboard.bench.target.TargetOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A kill run against a real cluster: three IM nodes in child JVMs on a real PostgreSQL and a real Redis, started
 * by the launcher as {@code bench --target cluster} does; one node is SIGKILLed under load, its clients fail over
 * to the others and resume there, and nothing acknowledged is lost, reordered or duplicated. JVM starts are most of
 * the time, so the nodes run with C1 only and the serial collector.
 */
class KillUnderLoadOnClusterTest {

    private static final TargetOptions CLUSTER = TargetOptions.child("postgres",
            System.getProperty("java.class.path"),
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Duration.ofSeconds(40))
            .withNodes(3);

    @Test
    void aKilledNodesClientsResumeOnTheOtherNodesWithEveryAcknowledgedMessageDeliveredOnceInOrder()
            throws Exception {
        KillConfig config = new KillConfig(Duration.ofSeconds(1), 1, Duration.ofSeconds(40), Duration.ofSeconds(20),
                4, 48, 8, BenchClientSettings.defaults(BodyFormat.JSON));
        List<String> log = new CopyOnWriteArrayList<>();
        List<Long> pids = new ArrayList<>();
        try (TargetLauncher launcher = new TargetLauncher(CLUSTER);
                ClusterTarget cluster = (ClusterTarget) launcher.start(TargetKind.CLUSTER);
                ClientTransport transport = new ClientTransport(1)) {
            assertThat(cluster.addresses().size()).isEqualTo(3);
            pids.add(((ChildServerTarget) cluster.nodes().get(0)).pid());
            KillRunResult result = KillUnderLoad.direct(3, config, cluster.nodes(), log::add)
                    .run(transport, cluster.addresses());
            for (RestartableTarget node : cluster.nodes()) {
                pids.add(((ChildServerTarget) node).pid()); // node1's is its second process
            }

            assertThat(result.problems()).isEmpty();
            assertThat(result.kills()).singleElement().satisfies(kill -> {
                assertThat(kill.server()).isEqualTo("node1");
                assertThat(kill.onlineAtKill()).as("every client online before the kill").isEqualTo(6);
                assertThat(kill.backMillis()).as("all back after the kill").isNotNegative();
                assertThat(kill.ackedBefore()).isPositive();
            });
            assertThat(log).singleElement().asString().contains("kill 1 (node1)");
            Traffic traffic = result.traffic();
            // Clients 0 and 3 (sender 0, receiver 1) started on node1: both fail over to node2.
            assertThat(traffic.failovers()).as("node1's clients resumed on another node").isEqualTo(2);
            assertThat(traffic.reconnects()).isEqualTo(2);
            assertThat(traffic.acknowledged()).isPositive().isEqualTo(traffic.sent());
            LedgerTally deliveries = result.deliveries();
            assertThat(deliveries.delivered()).isEqualTo(traffic.acknowledged());
            assertThat(deliveries.lost() + deliveries.reordered() + deliveries.duplicated()
                    + deliveries.seqViolations() + deliveries.misdelivered()).isZero();
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("node " + pid).isFalse();
        }
    }
}

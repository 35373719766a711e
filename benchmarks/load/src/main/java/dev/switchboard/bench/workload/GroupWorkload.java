package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.CreateGroupRequest;
import dev.switchboard.bench.protocol.CreateGroupResponse;
import dev.switchboard.bench.protocol.GroupChanged;
import dev.switchboard.bench.protocol.GroupMessageRequest;
import dev.switchboard.bench.target.ServerAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One group of G members, S of whom send group messages (command 15), each with a window. Every message is
 * delivered to all G members, its sender included. Measures deliveries per second and the latency from send to
 * the last member's delivery.
 */
public final class GroupWorkload implements Workload {

    private static final long CREATE_TIMEOUT_SECONDS = 60;

    private final int members;
    private final int senders;
    private final MessagingConfig config;

    public GroupWorkload(int members, int senders, MessagingConfig config) {
        if (members < 1) {
            throw new IllegalArgumentException("members < 1: " + members);
        }
        if (senders < 1 || senders > members) {
            throw new IllegalArgumentException("senders outside 1.." + members + ": " + senders);
        }
        this.members = members;
        this.senders = senders;
        this.config = config;
    }

    @Override
    public String name() {
        return "group";
    }

    @Override
    public MessagingResult run(ClientTransport transport, ServerAddresses servers) throws Exception {
        UserNames names = UserNames.fresh();
        RunCounters counters = new RunCounters(members);
        List<Participant> participants = new ArrayList<>();
        List<Sender> allSenders = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Sender sender = i < senders ? new Sender(i, names.runId(), config.window(), config.rate() / senders,
                    config.messageSize(), counters) : null;
            if (sender != null) {
                allSenders.add(sender);
            }
            participants.add(new Participant(counters, senders, sender));
        }
        for (Participant p : participants) {
            p.expectFrom(allSenders);
        }
        ParticipantLogins.loginAll(transport, servers::forClient, config.client(), participants, names, "g",
                config.loginConcurrency());
        String groupId = createGroup(participants);
        for (Participant p : participants.subList(0, senders)) {
            p.sender().bind(p.client(), (text, id) -> new GroupMessageRequest(groupId, text, id));
        }
        return MessagingRun.execute(
                new MessagingRun.Shape(name(), config.window(), config.rate(), config.messageSize()),
                config.plan(), counters, participants);
    }

    /**
     * The first participant creates the group with everyone in it; every member must hear of it: by its
     * CreateGroupResponse, or by the stored GroupChanged, which is all that members on other nodes of a cluster get
     * (CreateGroupResponse is pushed to the creator's node only).
     */
    private static String createGroup(List<Participant> participants) throws Exception {
        CompletableFuture<CreateGroupResponse> answer = participants.get(0).client().expect(CreateGroupResponse.class);
        List<CompletableFuture<?>> heard = new ArrayList<>(List.of(answer));
        for (Participant p : participants.subList(1, participants.size())) {
            heard.add(p.client().expectEither(CreateGroupResponse.class, GroupChanged.class));
        }
        List<String> ids = participants.stream().map(p -> p.session().userId()).toList();
        participants.get(0).client().send(new CreateGroupRequest(ids, null));
        try {
            CompletableFuture.allOf(heard.toArray(CompletableFuture[]::new))
                    .get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            MessagingRun.closeAll(participants);
            throw new IllegalStateException("creating a group of " + participants.size() + " failed: "
                    + (e instanceof ExecutionException ? e.getCause() : e), e);
        }
        CreateGroupResponse created = answer.join();
        if (!created.success() || created.groupId() == null) {
            MessagingRun.closeAll(participants);
            throw new IllegalStateException("group not created: " + created.reason());
        }
        return created.groupId();
    }
}

package dev.switchboard.bench.kill;

import dev.switchboard.bench.protocol.CreateGroupRequest;
import dev.switchboard.bench.protocol.CreateGroupResponse;
import dev.switchboard.bench.protocol.GroupChanged;
import dev.switchboard.bench.protocol.GroupMessageRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One group of {@code members} accounts, created by the first with everyone in it before the first kill; the first
 * {@code senders} post group messages (command 15), which every member, the sender included, must receive.
 */
record GroupTopology(int members, int senders) implements Topology {

    private static final long CREATE_TIMEOUT_SECONDS = 60;

    GroupTopology {
        if (members < 1) {
            throw new IllegalArgumentException("members < 1: " + members);
        }
        if (senders < 1 || senders > members) {
            throw new IllegalArgumentException("senders outside 1.." + members + ": " + senders);
        }
    }

    @Override
    public String name() {
        return "group";
    }

    @Override
    public int accounts() {
        return members;
    }

    @Override
    public int fanout() {
        return members;
    }

    @Override
    public List<Integer> sendersHeardBy(int account) {
        return IntStream.range(0, senders).boxed().toList();
    }

    @Override
    public List<Destination> destinations(List<ResumingClient> clients) throws Exception {
        // Members on other nodes of a cluster hear of the group by its stored GroupChanged only.
        CompletableFuture<CreateGroupResponse> answer = clients.get(0).connection().expect(CreateGroupResponse.class);
        List<CompletableFuture<?>> heard = new ArrayList<>(List.of(answer));
        for (ResumingClient client : clients.subList(1, clients.size())) {
            heard.add(client.connection().expectEither(CreateGroupResponse.class, GroupChanged.class));
        }
        List<String> ids = clients.stream().map(ResumingClient::userId).toList();
        clients.get(0).connection().send(new CreateGroupRequest(ids, null));
        CompletableFuture.allOf(heard.toArray(CompletableFuture[]::new)).get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        CreateGroupResponse created = answer.join();
        if (!created.success() || created.groupId() == null) {
            throw new IllegalStateException("group not created: " + created.reason());
        }
        String groupId = created.groupId();
        return Collections.nCopies(senders, (text, clientMsgId) -> new GroupMessageRequest(groupId, text, clientMsgId));
    }
}

package dev.switchboard.im.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.im.store.Membership.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Storage} promises; run against each implementation by a subclass. Uses only the public
 * interfaces, as the chat layer does.
 */
public abstract class StorageContractTest {

    protected static final PasswordHash PASSWORD = new PasswordHash(bytes("salt"), bytes("hash"), 10_000);

    protected Storage storage;

    /** A fresh, empty, started storage. */
    protected abstract Storage open() throws Exception;

    protected void close(Storage storage) {
    }

    @BeforeEach
    void openStorage() throws Exception {
        storage = open();
    }

    @AfterEach
    void closeStorage() {
        close(storage);
    }

    // ---- users

    @Test
    void presenceIsShownUntilTheUserHidesItAndHidingIsIdempotent() {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        UserAccount bob = await(storage.users().register("bob", PASSWORD));
        assertThat(await(storage.users().presenceHidden(alice.userId()))).isFalse();
        assertThat(await(storage.users().presenceHidden("nobody0000"))).as("unknown id").isFalse();

        await(storage.users().setPresenceHidden(alice.userId(), true));
        await(storage.users().setPresenceHidden(alice.userId(), true));
        assertThat(await(storage.users().presenceHidden(alice.userId()))).isTrue();
        assertThat(await(storage.users().presenceHidden(bob.userId()))).as("only the user who chose").isFalse();

        await(storage.users().setPresenceHidden(alice.userId(), false));
        await(storage.users().setPresenceHidden(alice.userId(), false));
        assertThat(await(storage.users().presenceHidden(alice.userId()))).isFalse();
    }

    @Test
    void presenceChoicesAreReadInSubmissionOrder() {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        storage.users().setPresenceHidden(alice.userId(), true);
        CompletionStage<Boolean> afterHide = storage.users().presenceHidden(alice.userId());
        storage.users().setPresenceHidden(alice.userId(), false);
        CompletionStage<Boolean> afterShow = storage.users().presenceHidden(alice.userId());
        assertThat(await(afterHide)).isTrue();
        assertThat(await(afterShow)).isFalse();
    }

    @Test
    void registrationAssignsStableUniqueIds() {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        UserAccount bob = await(storage.users().register("bob", PASSWORD));

        assertThat(alice.userId()).hasSizeBetween(8, 12).matches("[0-9A-Za-z]+").isNotEqualTo(bob.userId());
        assertThat(alice.userName()).isEqualTo("alice");
        assertThat(alice.password()).isEqualTo(PASSWORD);
        assertThat(await(storage.users().findByName("alice"))).contains(alice);
        assertThat(await(storage.users().findById(alice.userId()))).contains(alice);
        assertThat(await(storage.users().findByName("carol"))).isEmpty();
        assertThat(await(storage.users().findById("nobody"))).isEmpty();
    }

    @Test
    void registeringATakenNameFailsWithUserExists() {
        await(storage.users().register("alice", PASSWORD));

        Throwable failure = failure(storage.users().register("alice", PASSWORD));

        assertThat(failure).isInstanceOf(UserExistsException.class).hasMessageContaining("alice");
        assertThat(((UserExistsException) failure).userName()).isEqualTo("alice");
    }

    @Test
    void ofConcurrentRegistrationsOfOneNameExactlyOneWins() {
        List<CompletableFuture<UserAccount>> attempts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            attempts.add(storage.users().register("dave", PASSWORD).toCompletableFuture());
        }
        CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();

        assertThat(attempts).filteredOn(f -> !f.isCompletedExceptionally()).hasSize(1);
        assertThat(attempts).filteredOn(CompletableFuture::isCompletedExceptionally)
                .allSatisfy(f -> assertThat(failure(f)).isInstanceOf(UserExistsException.class));
    }

    @Test
    void bulkLookupsReturnOnlyExistingAccounts() {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        UserAccount bob = await(storage.users().register("bob", PASSWORD));

        assertThat(await(storage.users().findByIds(List.of(alice.userId(), "missing", bob.userId()))))
                .containsOnly(Map.entry(alice.userId(), alice), Map.entry(bob.userId(), bob));
        assertThat(await(storage.users().findByNames(List.of("bob", "zed"))))
                .containsOnly(Map.entry("bob", bob));
        assertThat(await(storage.users().findByIds(List.of()))).isEmpty();
    }

    @Test
    void tokensResolveUntilTheyExpire() {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        byte[] token = bytes("token-hash-1");
        await(storage.users().saveToken(alice.userId(), token, 1_000));
        token[0] = 'X'; // the store must have copied it

        assertThat(await(storage.users().userIdForToken(bytes("token-hash-1"), 999))).contains(alice.userId());
        assertThat(await(storage.users().userIdForToken(bytes("token-hash-1"), 1_000))).isEmpty();
        assertThat(await(storage.users().userIdForToken(bytes("token-hash-2"), 0))).isEmpty();

        await(storage.users().saveToken(alice.userId(), bytes("token-hash-1"), 5_000)); // replaced: extended
        assertThat(await(storage.users().userIdForToken(bytes("token-hash-1"), 4_999))).contains(alice.userId());

        await(storage.users().revokeToken(bytes("token-hash-1")));
        await(storage.users().revokeToken(bytes("never-issued")));
        assertThat(await(storage.users().userIdForToken(bytes("token-hash-1"), 0))).isEmpty();
    }

    @Test
    void tokensPerUserAreCappedAndCanAllBeRevoked() {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        UserAccount bob = await(storage.users().register("bob", PASSWORD));
        int issued = UserStore.MAX_TOKENS_PER_USER + 5;
        for (int i = 0; i < issued; i++) {
            await(storage.users().saveToken(alice.userId(), bytes("a" + i), 10_000 + i));
        }
        await(storage.users().saveToken(bob.userId(), bytes("b"), 10_000));
        for (int i = 0; i < 5; i++) {
            assertThat(await(storage.users().userIdForToken(bytes("a" + i), 0))).as("oldest dropped").isEmpty();
        }
        assertThat(await(storage.users().userIdForToken(bytes("a" + (issued - 1)), 0))).contains(alice.userId());

        assertThat(await(storage.users().revokeTokens(alice.userId()))).isEqualTo(UserStore.MAX_TOKENS_PER_USER);
        assertThat(await(storage.users().userIdForToken(bytes("a" + (issued - 1)), 0))).isEmpty();
        assertThat(await(storage.users().userIdForToken(bytes("b"), 0))).as("other users keep theirs")
                .contains(bob.userId());
        assertThat(await(storage.users().revokeTokens(alice.userId()))).isZero();
    }

    @Test
    void aTokenIsSpentOnceEvenByRacingLogins() {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        await(storage.users().saveToken(alice.userId(), bytes("once"), 1_000));
        CompletableFuture<Optional<String>> first = storage.users().consumeToken(bytes("once"), 10)
                .toCompletableFuture();
        CompletableFuture<Optional<String>> second = storage.users().consumeToken(bytes("once"), 10)
                .toCompletableFuture();
        assertThat(List.of(await(first), await(second))).containsExactlyInAnyOrder(Optional.of(alice.userId()),
                Optional.empty());
        assertThat(await(storage.users().userIdForToken(bytes("once"), 10))).isEmpty();

        await(storage.users().saveToken(alice.userId(), bytes("stale"), 1_000));
        assertThat(await(storage.users().consumeToken(bytes("stale"), 1_000))).as("expired").isEmpty();
        assertThat(await(storage.users().consumeToken(bytes("never"), 0))).isEmpty();
    }

    // ---- groups

    @Test
    void createPutsTheCreatorFirstAndRemovesDuplicates() {
        Group group = await(storage.groups().create("carol", List.of("alice", "carol", "bob", "alice")));

        assertThat(group.memberIds()).containsExactly("carol", "alice", "bob");
        assertThat(group.groupId()).hasSizeBetween(8, 12);
        assertThat(await(storage.groups().find(group.groupId()))).contains(group);
        assertThat(await(storage.groups().groupsOf("alice"))).containsExactly(group.groupId());
        assertThat(await(storage.groups().find("no-such-group"))).isEmpty();

        Group other = await(storage.groups().create("carol", List.of()));
        assertThat(other.groupId()).isNotEqualTo(group.groupId());
        assertThat(other.memberIds()).containsExactly("carol");
        assertThat(await(storage.groups().groupsOf("carol"))).containsExactly(group.groupId(), other.groupId());
    }

    @Test
    void joinIsIdempotentAndAppendsInJoinOrder() {
        Group group = await(storage.groups().create("alice", List.of("bob")));

        Membership joined = await(storage.groups().join(group.groupId(), "carol"));
        Membership again = await(storage.groups().join(group.groupId(), "carol"));

        assertThat(joined.outcome()).isEqualTo(Outcome.JOINED);
        assertThat(joined.group().memberIds()).containsExactly("alice", "bob", "carol");
        assertThat(again.outcome()).isEqualTo(Outcome.ALREADY_MEMBER);
        assertThat(again.group()).isEqualTo(joined.group());
        assertThat(await(storage.groups().find(group.groupId())).orElseThrow().memberIds())
                .containsExactly("alice", "bob", "carol");
        assertThat(await(storage.groups().join("no-such-group", "carol")))
                .isEqualTo(new Membership(Outcome.NO_SUCH_GROUP, null));
    }

    @Test
    void concurrentJoinsNeverOverfillAGroup() throws Exception {
        Group group = await(storage.groups().create("alice", List.of("bob")));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<Membership>> joins = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String user = "u" + i;
                joins.add(pool.submit(() -> {
                    go.await();
                    return await(storage.groups().join(group.groupId(), user, 5));
                }));
            }
            go.countDown();
            Map<Outcome, Integer> outcomes = new java.util.EnumMap<>(Outcome.class);
            for (java.util.concurrent.Future<Membership> join : joins) {
                outcomes.merge(join.get(10, TimeUnit.SECONDS).outcome(), 1, Integer::sum);
            }
            assertThat(outcomes).containsOnly(Map.entry(Outcome.JOINED, 3), Map.entry(Outcome.FULL, 37));
            assertThat(await(storage.groups().find(group.groupId())).orElseThrow().memberIds()).hasSize(5);
            assertThat(await(storage.groups().join(group.groupId(), "bob", 5)).outcome())
                    .as("a member joining a full group again").isEqualTo(Outcome.ALREADY_MEMBER);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void quitByANonMemberChangesNothingAndTheLastQuitDeletesTheGroup() {
        Group group = await(storage.groups().create("alice", List.of("bob")));
        String id = group.groupId();

        Membership notMember = await(storage.groups().quit(id, "mallory"));
        assertThat(notMember.outcome()).isEqualTo(Outcome.NOT_A_MEMBER);
        assertThat(notMember.group()).isEqualTo(group);

        Membership left = await(storage.groups().quit(id, "alice"));
        assertThat(left.outcome()).isEqualTo(Outcome.LEFT);
        assertThat(left.group().memberIds()).containsExactly("bob");
        assertThat(await(storage.groups().groupsOf("alice"))).isEmpty();

        Membership deleted = await(storage.groups().quit(id, "bob"));
        assertThat(deleted).isEqualTo(new Membership(Outcome.LEFT_AND_DELETED, null));
        assertThat(await(storage.groups().find(id))).isEmpty();
        assertThat(await(storage.groups().groupsOf("bob"))).isEmpty();
        assertThat(await(storage.groups().join(id, "bob")).outcome()).isEqualTo(Outcome.NO_SUCH_GROUP);
        assertThat(await(storage.groups().quit(id, "bob")).outcome()).isEqualTo(Outcome.NO_SUCH_GROUP);
    }

    @Test
    void rejoiningMovesTheUserToTheEnd() {
        Group group = await(storage.groups().create("alice", List.of("bob", "carol")));
        await(storage.groups().quit(group.groupId(), "bob"));

        Membership rejoined = await(storage.groups().join(group.groupId(), "bob"));

        assertThat(rejoined.group().memberIds()).containsExactly("alice", "carol", "bob");
    }

    @Test
    void aGroupHasANameAndItsCreatorOwnsIt() {
        Group named = await(storage.groups().create("alice", "Team", List.of("bob")));
        Group unnamed = await(storage.groups().create("alice", List.of()));

        assertThat(named.name()).isEqualTo("Team");
        assertThat(named.ownerId()).isEqualTo("alice");
        assertThat(named.roleOf("alice")).isEqualTo(GroupRole.OWNER);
        assertThat(named.roleOf("bob")).isEqualTo(GroupRole.MEMBER);
        assertThat(named.roleOf("carol")).isNull();
        assertThat(unnamed.name()).isEqualTo(Group.defaultName(unnamed.groupId()));
        assertThat(await(storage.groups().find(named.groupId()))).contains(named);
        assertThat(await(storage.groups().groupsWith("alice"))).containsExactly(named, unnamed);
        assertThat(await(storage.groups().groupsWith("bob"))).containsExactly(named);
        assertThat(await(storage.groups().groupsWith("carol"))).isEmpty();
    }

    @Test
    void onlyTheOwnerAndAdminsRenameAddAndMuteTheGroup() {
        String id = await(storage.groups().create("alice", "Team", List.of("bob"))).groupId();

        assertThat(change(id, new GroupCommand.Rename("bob", "Mine")).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.Rename("mallory", "Mine")).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_A_MEMBER);
        assertThat(change("no-such-group", new GroupCommand.Rename("alice", "Mine")))
                .isEqualTo(new GroupChange(GroupChange.Outcome.NO_SUCH_GROUP, null, List.of()));
        assertThat(change(id, new GroupCommand.Rename("alice", "Team")).outcome())
                .isEqualTo(GroupChange.Outcome.UNCHANGED);
        assertThat(change(id, new GroupCommand.SetRole("alice", "bob", GroupRole.ADMIN)).affectedIds())
                .containsExactly("bob");
        assertThat(change(id, new GroupCommand.Rename("bob", "Crew")).outcome())
                .isEqualTo(GroupChange.Outcome.CHANGED);
        assertThat(find(id).name()).isEqualTo("Crew");

        GroupChange added = change(id, new GroupCommand.Add("bob", List.of("carol", "alice", "dave"), 10));
        assertThat(added.affectedIds()).containsExactly("carol", "dave");
        assertThat(find(id).memberIds()).containsExactly("alice", "bob", "carol", "dave");
        assertThat(await(storage.groups().memberSince(id, "dave"))).isPresent();
        assertThat(await(storage.groups().groupsOf("dave"))).containsExactly(id);
        assertThat(change(id, new GroupCommand.Add("bob", List.of("erin", "frank"), 5)).outcome())
                .as("over the size limit: nobody is added").isEqualTo(GroupChange.Outcome.FULL);
        assertThat(change(id, new GroupCommand.Add("carol", List.of("erin"), 10)).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.Add("bob", List.of("carol"), 10)).outcome())
                .isEqualTo(GroupChange.Outcome.UNCHANGED);

        assertThat(change(id, new GroupCommand.MuteGroup("carol", true)).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.MuteGroup("bob", true)).outcome())
                .isEqualTo(GroupChange.Outcome.CHANGED);
        Group muted = find(id);
        assertThat(muted.muted()).isTrue();
        assertThat(muted.maySend("carol")).isFalse();
        assertThat(muted.maySend("bob")).as("an admin").isTrue();
        assertThat(muted.maySend("alice")).as("the owner").isTrue();
        assertThat(change(id, new GroupCommand.MuteGroup("alice", false)).outcome())
                .isEqualTo(GroupChange.Outcome.CHANGED);
        assertThat(find(id).maySend("carol")).isTrue();
    }

    @Test
    void kickingAndMutingNeedToOutrankTheMember() {
        String id = await(storage.groups().create("alice", "Team", List.of("bob", "carol", "dave"))).groupId();
        change(id, new GroupCommand.SetRole("alice", "bob", GroupRole.ADMIN));
        change(id, new GroupCommand.SetRole("alice", "carol", GroupRole.ADMIN));

        assertThat(change(id, new GroupCommand.Kick("bob", "carol")).outcome())
                .as("an admin kicking an admin").isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.Kick("bob", "alice")).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.Kick("dave", "bob")).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.Kick("bob", "erin")).outcome())
                .isEqualTo(GroupChange.Outcome.NO_SUCH_MEMBER);
        assertThat(change(id, new GroupCommand.Kick("alice", "alice")).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.SetRole("bob", "dave", GroupRole.ADMIN)).outcome())
                .as("only the owner sets roles").isEqualTo(GroupChange.Outcome.NOT_ALLOWED);

        assertThat(change(id, new GroupCommand.MuteMember("bob", "carol", true)).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.MuteMember("bob", "dave", true)).outcome())
                .isEqualTo(GroupChange.Outcome.CHANGED);
        assertThat(change(id, new GroupCommand.MuteMember("bob", "dave", true)).outcome())
                .isEqualTo(GroupChange.Outcome.UNCHANGED);
        assertThat(find(id).mutedIds()).containsExactly("dave");
        assertThat(find(id).maySend("dave")).isFalse();

        GroupChange kicked = change(id, new GroupCommand.Kick("bob", "dave"));
        assertThat(kicked.outcome()).isEqualTo(GroupChange.Outcome.CHANGED);
        assertThat(kicked.affectedIds()).containsExactly("dave");
        assertThat(find(id).memberIds()).containsExactly("alice", "bob", "carol");
        assertThat(find(id).mutedIds()).isEmpty();
        assertThat(await(storage.groups().groupsOf("dave"))).isEmpty();
        assertThat(await(storage.groups().memberSince(id, "dave"))).isEmpty();
        assertThat(change(id, new GroupCommand.Kick("alice", "carol")).outcome()).isEqualTo(GroupChange.Outcome.CHANGED);
    }

    @Test
    void ownershipIsTransferredOrPassesOnWhenTheOwnerLeaves() {
        String id = await(storage.groups().create("alice", "Team", List.of("bob", "carol", "dave"))).groupId();
        assertThat(change(id, new GroupCommand.Transfer("bob", "carol")).outcome())
                .isEqualTo(GroupChange.Outcome.NOT_ALLOWED);
        assertThat(change(id, new GroupCommand.Transfer("alice", "erin")).outcome())
                .isEqualTo(GroupChange.Outcome.NO_SUCH_MEMBER);
        change(id, new GroupCommand.MuteMember("alice", "bob", true));
        assertThat(change(id, new GroupCommand.Transfer("alice", "bob")).outcome())
                .isEqualTo(GroupChange.Outcome.CHANGED);
        Group transferred = find(id);
        assertThat(transferred.ownerId()).isEqualTo("bob");
        assertThat(transferred.roleOf("alice")).isEqualTo(GroupRole.ADMIN);
        assertThat(transferred.mutedIds()).as("an owner is never muted").isEmpty();

        change(id, new GroupCommand.SetRole("bob", "dave", GroupRole.ADMIN));
        Membership left = await(storage.groups().quit(id, "bob"));
        assertThat(left.newOwnerId()).as("the longest-standing admin").isEqualTo("alice");
        assertThat(find(id).roleOf("alice")).isEqualTo(GroupRole.OWNER);
        assertThat(find(id).roleOf("dave")).isEqualTo(GroupRole.ADMIN);

        change(id, new GroupCommand.SetRole("alice", "dave", GroupRole.MEMBER));
        assertThat(await(storage.groups().quit(id, "alice")).newOwnerId())
                .as("no admin: the longest-standing member").isEqualTo("carol");
        assertThat(await(storage.groups().quit(id, "dave")).newOwnerId()).isNull();
        assertThat(find(id).memberIds()).containsExactly("carol");
        assertThat(find(id).ownerId()).isEqualTo("carol");
    }

    @Test
    void groupEventsArePartOfTheHistoryButNeverUnread() {
        String id = await(storage.groups().create("alice", "Team", List.of("bob"))).groupId();
        List<String> members = List.of("alice", "bob");
        Appended created = await(storage.messages().append(NewMessage.groupEvent("alice", "alice", id,
                GroupEvent.ofGroup(GroupEvent.Type.CREATED, "Team"), 1, members)));
        Appended message = await(storage.messages().append(
                TestMessages.of("alice", "alice", null, id, "hello", 2, members)));
        Appended renamed = await(storage.messages().append(NewMessage.groupEvent("alice", "alice", id,
                GroupEvent.ofGroup(GroupEvent.Type.RENAMED, "Crew"), 3, members)));

        assertThat(created.seqByRecipient()).containsEntry("bob", 1L);
        assertThat(renamed.seqByRecipient()).containsEntry("bob", 3L);
        List<StoredMessage> history = await(storage.messages().history("bob", Conversation.group(id), 0,
                Long.MAX_VALUE, 10));
        assertThat(history).extracting(StoredMessage::kind)
                .containsExactly(EntryKind.GROUP_EVENT, EntryKind.MESSAGE, EntryKind.GROUP_EVENT);
        assertThat(GroupEvent.decode(history.get(0).text()))
                .isEqualTo(GroupEvent.ofGroup(GroupEvent.Type.RENAMED, "Crew"));
        assertThat(await(storage.messages().inboxAfter("bob", 2, 10)).get(0).message()).isEqualTo(history.get(0));

        ConversationSummary summary = await(storage.messages().conversations("bob",
                await(storage.groups().membershipsOf("bob")), Long.MAX_VALUE, 10)).get(0);
        assertThat(summary.unreadCount()).isEqualTo(1);
        assertThat(summary.lastMessage().messageId()).isEqualTo(message.message().messageId());
    }

    private GroupChange change(String groupId, GroupCommand command) {
        return await(storage.groups().change(groupId, command));
    }

    private Group find(String groupId) {
        return await(storage.groups().find(groupId)).orElseThrow();
    }

    // ---- messages

    @Test
    void eachRecipientGetsSeqsOneTwoThreeWithoutGaps() {
        Appended first = append(null, "alice", "bob");
        Appended second = append(null, "alice");
        Appended third = append(null, "bob", "alice", "bob"); // duplicate recipient gets one entry

        assertThat(first.seqByRecipient()).containsOnly(Map.entry("alice", 1L), Map.entry("bob", 1L));
        assertThat(second.seqByRecipient()).containsOnly(Map.entry("alice", 2L));
        assertThat(third.seqByRecipient()).containsOnly(Map.entry("alice", 3L), Map.entry("bob", 2L));
        assertThat(List.of(first, second, third)).allSatisfy(a -> assertThat(a.duplicate()).isFalse());
        assertThat(second.message().messageId()).isGreaterThan(first.message().messageId());
        assertThat(third.message().messageId()).isGreaterThan(second.message().messageId());
        assertThat(seqs(await(storage.messages().inboxAfter("alice", 0, 10)))).containsExactly(1L, 2L, 3L);
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 0, 10)))).containsExactly(1L, 2L);
        assertThat(await(storage.messages().lastSeq("alice"))).isEqualTo(3L);
        assertThat(await(storage.messages().lastSeq("bob"))).isEqualTo(2L);
        assertThat(await(storage.messages().lastSeq("nobody"))).isZero();
        await(storage.messages().acknowledge("alice", 3));
        assertThat(await(storage.messages().lastSeq("alice"))).as("acks do not change it").isEqualTo(3L);
    }

    @Test
    void appendWithARepeatedClientMsgIdReturnsTheOriginal() {
        Appended original = append("c-1", "bob", "carol");
        Appended other = append(null, "bob");

        Appended retry = await(storage.messages().append(
                TestMessages.of("alice", "alice", "c-1", null, "changed text", 99, List.of("bob", "dave"))));

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.message()).isEqualTo(original.message());
        assertThat(retry.seqByRecipient()).as("a duplicate appended nothing").isEmpty();
        assertThat(await(storage.messages().inboxAfter("bob", 0, 10)))
                .extracting(InboxEntry::message).containsExactly(original.message(), other.message());
        assertThat(await(storage.messages().inboxAfter("dave", 0, 10))).isEmpty();

        // The key is (sender, clientMsgId): another sender may use the same id, and null never deduplicates.
        Appended fromBob = await(storage.messages().append(
                TestMessages.of("bob", "bob", "c-1", null, "hi", 1, List.of("alice"))));
        assertThat(fromBob.duplicate()).isFalse();
        assertThat(append(null, "bob").duplicate()).isFalse();
    }

    @Test
    void duplicateSubmittedBeforeTheOriginalCompletedIsStillDetected() {
        NewMessage message = TestMessages.of("alice", "alice", "c-9", "g1", "hello", 5, List.of("bob"));
        CompletableFuture<Appended> first = storage.messages().append(message).toCompletableFuture();
        CompletableFuture<Appended> second = storage.messages().append(message).toCompletableFuture();

        assertThat(await(second).duplicate()).isTrue();
        assertThat(await(second).message()).isEqualTo(await(first).message());
        assertThat(await(first).seqByRecipient()).isEqualTo(Map.of("bob", 1L));
        assertThat(await(second).seqByRecipient()).isEmpty();
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 0, 10)))).containsExactly(1L);
    }

    @Test
    void inboxAfterHonoursAfterSeqAndLimit() {
        for (int i = 1; i <= 5; i++) {
            await(storage.messages().append(
                    TestMessages.of("alice", "Alice", null, i % 2 == 0 ? "g1" : null, "text " + i, 1000 + i,
                            List.of("bob"))));
        }

        List<InboxEntry> page = await(storage.messages().inboxAfter("bob", 2, 2));

        assertThat(seqs(page)).containsExactly(3L, 4L);
        InboxEntry third = page.get(0);
        assertThat(third.userId()).isEqualTo("bob");
        assertThat(third.message().senderId()).isEqualTo("alice");
        assertThat(third.message().senderName()).isEqualTo("Alice");
        assertThat(third.message().text()).isEqualTo("text 3");
        assertThat(third.message().timestamp()).isEqualTo(1003);
        assertThat(third.message().groupId()).isNull();
        assertThat(page.get(1).message().groupId()).isEqualTo("g1");
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 4, 100)))).containsExactly(5L);
        assertThat(await(storage.messages().inboxAfter("bob", 5, 100))).isEmpty();
        assertThat(await(storage.messages().inboxAfter("bob", Long.MAX_VALUE, 100))).isEmpty();
        assertThat(await(storage.messages().inboxAfter("nobody", 0, 100))).isEmpty();
    }

    @Test
    void acknowledgeIsCumulativeAndNeverMovesBack() {
        for (int i = 0; i < 5; i++) {
            append(null, "bob");
        }
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isZero();

        await(storage.messages().acknowledge("bob", 3));
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isEqualTo(3);

        await(storage.messages().acknowledge("bob", 1));
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isEqualTo(3);
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 3, 10)))).containsExactly(4L, 5L);

        await(storage.messages().acknowledge("bob", 1_000)); // capped at the last seq assigned
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isEqualTo(5);
        assertThat(append(null, "bob").seqByRecipient()).containsEntry("bob", 6L);
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 5, 10)))).containsExactly(6L);

        await(storage.messages().acknowledge("nobody", 7));
        assertThat(await(storage.messages().acknowledgedSeq("nobody"))).isZero();
    }

    @Test
    void aReadSubmittedAfterAnAppendSeesIt() {
        CompletionStage<Appended> appended = storage.messages().append(
                TestMessages.of("alice", "alice", null, null, "hi", 1, List.of("bob")));
        CompletionStage<List<InboxEntry>> inbox = storage.messages().inboxAfter("bob", 0, 10); // not waiting

        assertThat(await(inbox)).extracting(InboxEntry::message).containsExactly(await(appended).message());
    }

    @Test
    void callbacksOfOneSubmitterFireInSubmissionOrder() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Long> messageIds = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int index = i;
            done.add(storage.messages()
                    .append(TestMessages.of("alice", "alice", "m" + i, null, "text", i, List.of("bob", "carol")))
                    .thenAccept(a -> {
                        order.add(index);
                        messageIds.add(a.message().messageId());
                    })
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();

        assertThat(order).hasSize(1000).isSorted();
        assertThat(messageIds).isSorted().doesNotHaveDuplicates();
        assertThat(seqs(await(storage.messages().inboxAfter("carol", 0, 2000))))
                .containsExactlyElementsOf(range(1, 1000));
    }

    @Test
    void concurrentSubmittersEachSeeTheirOwnOrderAndSeqsHaveNoGaps() throws Exception {
        int threads = 4;
        int perThread = 250;
        List<long[]> completions = Collections.synchronizedList(new ArrayList<>()); // thread, index, messageId, seq
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> all = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch submitted = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.execute(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            int index = i;
                            all.add(storage.messages()
                                    .append(TestMessages.of("s" + thread, "s" + thread, null, null, "x", i,
                                            List.of("shared", "own" + thread)))
                                    .thenAccept(a -> completions.add(new long[] {thread, index,
                                            a.message().messageId(), a.seqByRecipient().get("shared")}))
                                    .toCompletableFuture());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        submitted.countDown();
                    }
                });
            }
            go.countDown();
            assertThat(submitted.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(completions).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            List<long[]> mine = completions.stream().filter(c -> c[0] == thread).toList();
            assertThat(mine).extracting(c -> c[1]).isSorted();
            assertThat(mine).extracting(c -> c[2]).isSorted(); // stored in the order this thread submitted
            assertThat(seqs(await(storage.messages().inboxAfter("own" + t, 0, 1000))))
                    .containsExactlyElementsOf(range(1, perThread));
        }
        assertThat(completions).extracting(c -> c[3]).containsExactlyInAnyOrderElementsOf(range(1, (long) threads * perThread));
        // Seqs follow storage order: sorting by message id must sort the seqs too.
        List<long[]> byMessageId = new ArrayList<>(completions);
        byMessageId.sort((a, b) -> Long.compare(a[2], b[2]));
        assertThat(byMessageId).extracting(c -> c[3]).isSorted();
    }

    // ---- arguments

    @Test
    void invalidArgumentsAreRejectedByTheMethodItself() {
        assertThatThrownBy(() -> storage.users().findByName(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> storage.users().register("x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> storage.groups().create("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> storage.users().presenceHidden(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> storage.users().setPresenceHidden(null, true))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> storage.messages().inboxAfter("bob", 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit").hasMessageContaining("0");
        assertThatThrownBy(() -> storage.messages().inboxAfter("bob", -1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> storage.messages().inboxAfter("bob", 0, MessageStore.MAX_INBOX_PAGE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.messages().acknowledge("bob", -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
    }

    // ---- helpers

    protected Appended append(String clientMsgId, String... recipients) {
        return await(storage.messages().append(
                TestMessages.of("alice", "alice", clientMsgId, null, "hello", 42, List.of(recipients))));
    }

    protected static List<Long> seqs(List<InboxEntry> entries) {
        return entries.stream().map(InboxEntry::seq).toList();
    }

    protected static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            values.add(v);
        }
        return values;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The exception a stage completed with; fails if it completed normally. */
    protected static Throwable failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure but got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

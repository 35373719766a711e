package dev.switchboard.im.store;

import static dev.switchboard.im.store.StorageContractTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} promises about history, conversation lists, read positions and group join points; run
 * against each implementation by a subclass, through the public interfaces only.
 */
public abstract class ConversationContractTest {

    private static final long NEWEST = Long.MAX_VALUE;

    protected Storage storage;
    private long clock = 1_000;

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

    // ---- history

    @Test
    void aDirectConversationsHistoryHoldsBothDirectionsNewestFirst() {
        StoredMessage one = direct("alice", "bob", "one");
        StoredMessage two = direct("bob", "alice", "two");
        direct("alice", "carol", "elsewhere");
        StoredMessage three = direct("alice", "bob", "three");

        List<StoredMessage> fromAlice = history("alice", Conversation.direct("bob"), 0, NEWEST, 10);
        List<StoredMessage> fromBob = history("bob", Conversation.direct("alice"), 0, NEWEST, 10);

        assertThat(fromAlice).containsExactly(three, two, one);
        assertThat(fromBob).as("the same conversation from the other side").isEqualTo(fromAlice);
        assertThat(three.toUserId()).isEqualTo("bob");
        assertThat(three.conversationOf("bob")).isEqualTo(Conversation.direct("alice"));
    }

    @Test
    void historyPagesGoBackwardsFromTheGivenMessage() {
        StoredMessage[] sent = new StoredMessage[7];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = direct("alice", "bob", "m" + i);
        }
        Conversation withBob = Conversation.direct("bob");

        assertThat(history("alice", withBob, 0, NEWEST, 3)).containsExactly(sent[6], sent[5], sent[4]);
        assertThat(history("alice", withBob, 0, sent[4].messageId(), 3)).containsExactly(sent[3], sent[2], sent[1]);
        assertThat(history("alice", withBob, 0, sent[1].messageId(), 3)).containsExactly(sent[0]);
        assertThat(history("alice", withBob, sent[4].messageId(), NEWEST, 10)).containsExactly(sent[6], sent[5]);
        assertThat(history("alice", Conversation.direct("nobody"), 0, NEWEST, 10)).isEmpty();
    }

    @Test
    void historyHoldsMessagesOnlyNotReadEvents() {
        StoredMessage hello = direct("alice", "bob", "hello");
        await(storage.messages().markRead("bob", "bob", Conversation.direct("alice"), hello.messageId(), 5));

        assertThat(history("alice", Conversation.direct("bob"), 0, NEWEST, 10)).containsExactly(hello);
    }

    @Test
    void historyArgumentsOutOfRangeAreRefused() {
        MessageStore messages = storage.messages();
        Conversation withBob = Conversation.direct("bob");
        assertThatThrownBy(() -> messages.history("alice", withBob, 0, NEWEST, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> messages.history("alice", withBob, 0, NEWEST, MessageStore.MAX_HISTORY_PAGE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> messages.history("alice", withBob, -1, NEWEST, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- groups: join points

    @Test
    void aGroupsHistoryForAMemberStartsWhereTheMemberJoined() {
        Group group = await(storage.groups().create("alice", List.of("bob")));
        StoredMessage before = toGroup("alice", group, "before carol");
        await(storage.groups().join(group.groupId(), "carol"));
        Group withCarol = await(storage.groups().find(group.groupId())).orElseThrow();
        StoredMessage after = toGroup("bob", withCarol, "after carol");

        MemberSince carol = await(storage.groups().memberSince(group.groupId(), "carol")).orElseThrow();
        MemberSince alice = await(storage.groups().memberSince(group.groupId(), "alice")).orElseThrow();
        assertThat(carol.afterMessageId()).isGreaterThanOrEqualTo(before.messageId()).isLessThan(after.messageId());

        Conversation conversation = Conversation.group(group.groupId());
        assertThat(history("carol", conversation, carol.afterMessageId(), NEWEST, 10)).containsExactly(after);
        assertThat(history("alice", conversation, alice.afterMessageId(), NEWEST, 10)).containsExactly(after, before);
    }

    @Test
    void membershipsListTheUsersGroupsWithJoinPointsInJoinOrder() {
        Group first = await(storage.groups().create("alice", List.of()));
        toGroup("alice", first, "x");
        Group second = await(storage.groups().create("bob", List.of()));
        await(storage.groups().join(second.groupId(), "alice"));

        List<MemberSince> memberships = await(storage.groups().membershipsOf("alice"));

        assertThat(memberships).extracting(MemberSince::groupId).containsExactly(first.groupId(), second.groupId());
        assertThat(memberships.get(1).afterMessageId()).isGreaterThan(memberships.get(0).afterMessageId());
        await(storage.groups().quit(second.groupId(), "alice"));
        assertThat(await(storage.groups().memberSince(second.groupId(), "alice"))).isEmpty();
        assertThat(await(storage.groups().memberSince("no-such-group", "alice"))).isEmpty();
        assertThat(await(storage.groups().membershipsOf("nobody"))).isEmpty();
    }

    // ---- conversation lists

    @Test
    void conversationsAreListedMostRecentFirstWithUnreadCounts() {
        Group group = await(storage.groups().create("carol", List.of("alice")));
        StoredMessage fromBob = direct("bob", "alice", "hi alice");
        direct("bob", "alice", "are you there");
        StoredMessage inGroup = toGroup("carol", group, "group news");
        StoredMessage mine = direct("alice", "dave", "hello dave");

        List<ConversationSummary> list = conversations("alice", 10, NEWEST);

        assertThat(list).extracting(ConversationSummary::conversation).containsExactly(
                Conversation.direct("dave"), Conversation.group(group.groupId()), Conversation.direct("bob"));
        assertThat(list.get(0).lastMessage()).isEqualTo(mine);
        assertThat(list.get(0).unreadCount()).as("one's own messages are never unread").isZero();
        assertThat(list.get(1).lastMessage()).isEqualTo(inGroup);
        assertThat(list.get(1).unreadCount()).isEqualTo(1);
        assertThat(list.get(2).unreadCount()).isEqualTo(2);
        assertThat(list.get(2).readUpTo()).isZero();
        assertThat(list).extracting(ConversationSummary::activeAt)
                .containsExactly(2 * mine.messageId(), 2 * inGroup.messageId(), 2 * (fromBob.messageId() + 1));
    }

    @Test
    void conversationListsPageByActivity() {
        for (String peer : List.of("p1", "p2", "p3", "p4", "p5")) {
            direct(peer, "alice", "from " + peer);
        }
        List<ConversationSummary> first = conversations("alice", 2, NEWEST);
        List<ConversationSummary> second = conversations("alice", 2, first.get(1).activeAt());
        List<ConversationSummary> third = conversations("alice", 2, second.get(1).activeAt());

        assertThat(first).extracting(s -> s.conversation().peerId()).containsExactly("p5", "p4");
        assertThat(second).extracting(s -> s.conversation().peerId()).containsExactly("p3", "p2");
        assertThat(third).extracting(s -> s.conversation().peerId()).containsExactly("p1");
    }

    @Test
    void aGroupWithoutMessagesIsListedByWhereTheUserJoined() {
        StoredMessage earlier = direct("bob", "alice", "earlier");
        Group quiet = await(storage.groups().create("alice", List.of()));
        StoredMessage later = direct("carol", "alice", "later");

        List<ConversationSummary> list = conversations("alice", 10, NEWEST);

        assertThat(list).extracting(ConversationSummary::conversation).containsExactly(
                Conversation.direct("carol"), Conversation.group(quiet.groupId()), Conversation.direct("bob"));
        assertThat(list.get(1).lastMessage()).isNull();
        assertThat(list.get(1).activeAt()).isGreaterThan(2 * earlier.messageId()).isLessThan(2 * later.messageId());
    }

    @Test
    void aGroupMembersListShowsNothingFromBeforeItJoined() {
        Group group = await(storage.groups().create("bob", List.of()));
        toGroup("bob", group, "before alice");
        await(storage.groups().join(group.groupId(), "alice"));

        ConversationSummary summary = conversations("alice", 10, NEWEST).get(0);

        assertThat(summary.lastMessage()).isNull();
        assertThat(summary.unreadCount()).isZero();
    }

    @Test
    void directPeersAreEveryoneTheUserExchangedADirectMessageWith() {
        direct("alice", "bob", "hi");
        direct("carol", "alice", "hey");
        direct("alice", "bob", "again");
        Group group = await(storage.groups().create("alice", List.of("dave")));
        toGroup("dave", group, "not direct");

        assertThat(await(storage.messages().directPeers("alice", 10))).containsExactlyInAnyOrder("bob", "carol");
        assertThat(await(storage.messages().directPeers("alice", 1))).hasSize(1);
        assertThat(await(storage.messages().directPeers("bob", 10))).containsExactly("alice");
        assertThat(await(storage.messages().directPeers("dave", 10))).isEmpty();
    }

    // ---- read positions

    @Test
    void markingReadMovesForwardOnlyAndTellsBothSidesOfADirectConversation() {
        StoredMessage one = direct("bob", "alice", "one");
        StoredMessage two = direct("bob", "alice", "two");
        Conversation withBob = Conversation.direct("bob");
        long aliceSeqBefore = await(storage.messages().lastSeq("alice"));
        long bobSeqBefore = await(storage.messages().lastSeq("bob"));

        ReadMark mark = await(storage.messages().markRead("alice", "Alice", withBob, one.messageId(), 77));

        assertThat(mark.readUpTo()).isEqualTo(one.messageId());
        Appended event = mark.event().orElseThrow();
        assertThat(event.message().kind()).isEqualTo(EntryKind.READ);
        assertThat(event.message().refMessageId()).isEqualTo(one.messageId());
        assertThat(event.message().senderName()).isEqualTo("Alice");
        assertThat(event.message().conversationOf("bob")).isEqualTo(Conversation.direct("alice"));
        assertThat(event.seqByRecipient())
                .containsEntry("alice", aliceSeqBefore + 1).containsEntry("bob", bobSeqBefore + 1).hasSize(2);
        List<InboxEntry> bobsInbox = await(storage.messages().inboxAfter("bob", bobSeqBefore, 10));
        assertThat(bobsInbox).extracting(InboxEntry::message).containsExactly(event.message());

        ReadMark backwards = await(storage.messages().markRead("alice", "Alice", withBob, 0, 78));
        assertThat(backwards.readUpTo()).isEqualTo(one.messageId());
        assertThat(backwards.event()).as("nothing moved, nothing told").isEmpty();
        ReadMark beyond = await(storage.messages().markRead("alice", "Alice", withBob, NEWEST, 79));
        assertThat(beyond.readUpTo()).as("capped at the newest message").isEqualTo(two.messageId());

        ConversationSummary summary = conversations("alice", 10, NEWEST).get(0);
        assertThat(summary.readUpTo()).isEqualTo(two.messageId());
        assertThat(summary.unreadCount()).isZero();
    }

    @Test
    void eachSidesReadPositionIsItsOwnAndStartsAtZero() {
        StoredMessage hello = direct("bob", "alice", "hello");
        StoredMessage reply = direct("alice", "bob", "reply");
        MessageStore messages = storage.messages();
        assertThat(await(messages.readPosition("alice", Conversation.direct("bob")))).isZero();

        await(messages.markRead("alice", "Alice", Conversation.direct("bob"), hello.messageId(), 1));
        await(messages.markRead("bob", "Bob", Conversation.direct("alice"), reply.messageId(), 2));

        assertThat(await(messages.readPosition("alice", Conversation.direct("bob")))).isEqualTo(hello.messageId());
        assertThat(await(messages.readPosition("bob", Conversation.direct("alice")))).isEqualTo(reply.messageId());
        assertThat(await(messages.readPosition("carol", Conversation.direct("bob"))))
                .as("a third user shares no conversation's position").isZero();
        Group group = await(storage.groups().create("alice", List.of("bob")));
        StoredMessage inGroup = toGroup("alice", group, "hi all");
        await(messages.markRead("bob", "Bob", Conversation.group(group.groupId()), inGroup.messageId(), 3));
        assertThat(await(messages.readPosition("bob", Conversation.group(group.groupId()))))
                .isEqualTo(inGroup.messageId());
        assertThat(await(messages.readPosition("bob", Conversation.direct("alice"))))
                .as("positions are per conversation").isEqualTo(reply.messageId());
    }

    @Test
    void markingAGroupReadTellsOnlyTheReadersOwnInboxAndCountsReaders() {
        Group group = await(storage.groups().create("alice", List.of("bob", "carol", "dave")));
        StoredMessage first = toGroup("alice", group, "first");
        StoredMessage second = toGroup("alice", group, "second");
        Conversation conversation = Conversation.group(group.groupId());

        ReadMark bob = await(storage.messages().markRead("bob", "bob", conversation, second.messageId(), 1));
        await(storage.messages().markRead("carol", "carol", conversation, first.messageId(), 2));
        await(storage.messages().markRead("alice", "alice", conversation, second.messageId(), 3));

        assertThat(bob.event().orElseThrow().seqByRecipient()).containsOnlyKeys("bob");
        MessageStore messages = storage.messages();
        assertThat(await(messages.readCount(group.groupId(), first.messageId(), "alice"))).isEqualTo(2);
        assertThat(await(messages.readCount(group.groupId(), second.messageId(), "alice"))).isEqualTo(1);
        assertThat(await(messages.readCount(group.groupId(), second.messageId(), "bob")))
                .as("the asker is not counted, the author is").isEqualTo(1);
        assertThat(await(messages.readCount("no-such-group", 1, "alice"))).isZero();
    }

    @Test
    void markingAnEmptyConversationReadChangesNothing() {
        ReadMark mark = await(storage.messages().markRead("alice", "alice", Conversation.direct("bob"), 5, 1));

        assertThat(mark.readUpTo()).isZero();
        assertThat(mark.event()).isEmpty();
        assertThat(await(storage.messages().lastSeq("alice"))).isZero();
    }

    // ---- edit and recall

    @Test
    void anAuthorEditsWithinTheWindowAndEveryParticipantGetsTheEvent() {
        StoredMessage hello = direct("alice", "bob", "helo");
        long bobSeq = await(storage.messages().lastSeq("bob"));

        Changed edit = change(EntryKind.EDIT, "alice", Conversation.direct("bob"), hello, "hello", 60_000,
                List.of("alice", "bob"));

        assertThat(edit.outcome()).isEqualTo(Changed.Outcome.CHANGED);
        assertThat(edit.message().text()).isEqualTo("hello");
        assertThat(edit.message().editedAt()).isEqualTo(hello.timestamp() + 10);
        StoredMessage event = edit.event().message();
        assertThat(event.kind()).isEqualTo(EntryKind.EDIT);
        assertThat(event.refMessageId()).isEqualTo(hello.messageId());
        assertThat(event.text()).isEqualTo("hello");
        assertThat(edit.event().seqByRecipient()).containsOnlyKeys("alice", "bob");
        assertThat(history("bob", Conversation.direct("alice"), 0, NEWEST, 10)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("hello"));
        List<InboxEntry> inbox = await(storage.messages().inboxAfter("bob", 0, 10));
        assertThat(inbox).extracting(InboxEntry::seq).containsExactly(bobSeq, bobSeq + 1);
        assertThat(inbox.get(0).message().text()).as("a backlog read shows the edited text").isEqualTo("hello");
        assertThat(inbox.get(1).message()).isEqualTo(event);
    }

    @Test
    void aRecalledMessageLosesItsTextEverywhereAndCannotChangeAgain() {
        Group group = await(storage.groups().create("alice", List.of("bob")));
        StoredMessage secret = toGroup("alice", group, "oops, a secret");
        Conversation conversation = Conversation.group(group.groupId());

        Changed recall = change(EntryKind.RECALL, "alice", conversation, secret, "", 60_000, group.memberIds());

        assertThat(recall.outcome()).isEqualTo(Changed.Outcome.CHANGED);
        assertThat(history("bob", conversation, 0, NEWEST, 10)).singleElement().satisfies(m -> {
            assertThat(m.recalled()).isTrue();
            assertThat(m.text()).isEmpty();
        });
        assertThat(await(storage.messages().inboxAfter("bob", 0, 10))).first()
                .satisfies(e -> assertThat(e.message().recalled()).isTrue())
                .satisfies(e -> assertThat(e.message().text()).isEmpty());
        assertThat(change(EntryKind.EDIT, "alice", conversation, secret, "back", 60_000, group.memberIds()).outcome())
                .isEqualTo(Changed.Outcome.RECALLED);
        assertThat(change(EntryKind.RECALL, "alice", conversation, secret, "", 60_000, group.memberIds()).outcome())
                .isEqualTo(Changed.Outcome.RECALLED);
    }

    @Test
    void changesAreRefusedToOthersAfterTheWindowAndOutsideTheConversation() {
        StoredMessage hello = direct("alice", "bob", "hello");
        Conversation withBob = Conversation.direct("bob");
        List<String> both = List.of("alice", "bob");

        Changed byBob = change(EntryKind.EDIT, "bob", Conversation.direct("alice"), hello, "mine now", 60_000, both);
        Changed late = change(EntryKind.RECALL, "alice", withBob, hello, "", 5, both);
        Changed elsewhere = change(EntryKind.EDIT, "alice", Conversation.direct("carol"), hello, "x", 60_000,
                List.of("alice", "carol"));
        Changed missing = await(storage.messages().change(new MessageChange(EntryKind.EDIT, "alice", "alice",
                withBob, hello.messageId() + 100, "x", hello.timestamp(), 60_000, both)));

        assertThat(byBob.outcome()).isEqualTo(Changed.Outcome.NOT_AUTHOR);
        assertThat(late.outcome()).isEqualTo(Changed.Outcome.TOO_LATE);
        assertThat(elsewhere.outcome()).isEqualTo(Changed.Outcome.NO_SUCH_MESSAGE);
        assertThat(missing.outcome()).isEqualTo(Changed.Outcome.NO_SUCH_MESSAGE);
        assertThat(history("bob", Conversation.direct("alice"), 0, NEWEST, 10)).containsExactly(hello);
        assertThat(await(storage.messages().lastSeq("alice"))).as("no event for a refusal").isZero();
    }

    // ---- helpers

    /** A change 10 ms after the message was sent. */
    private Changed change(EntryKind kind, String userId, Conversation conversation, StoredMessage message,
            String text, long window, List<String> recipients) {
        return await(storage.messages().change(new MessageChange(kind, userId, userId, conversation,
                message.messageId(), text, message.timestamp() + 10, window, recipients)));
    }

    private StoredMessage direct(String from, String to, String text) {
        return await(storage.messages().append(NewMessage.direct(from, from, null, to, text, clock++))).message();
    }

    private StoredMessage toGroup(String from, Group group, String text) {
        return await(storage.messages().append(
                NewMessage.toGroup(from, from, null, group.groupId(), text, clock++, group.memberIds()))).message();
    }

    private List<StoredMessage> history(String userId, Conversation conversation, long after, long before,
            int limit) {
        return await(storage.messages().history(userId, conversation, after, before, limit));
    }

    private List<ConversationSummary> conversations(String userId, int limit, long before) {
        List<MemberSince> groups = await(storage.groups().membershipsOf(userId));
        return await(storage.messages().conversations(userId, groups, before, limit));
    }
}

package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.server.session.OnlineNotice;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlineNoticeCodecTest {

    private static void roundTrips(OnlineNotice notice) {
        List<String> users = List.of("u1", "u2", "u3");
        OnlineNoticeCodec.Decoded decoded = OnlineNoticeCodec.decode(OnlineNoticeCodec.encode(users, notice))
                .orElseThrow();
        assertThat(decoded.userIds()).isEqualTo(users);
        assertThat(decoded.notice()).isEqualTo(notice);
    }

    @Test
    void everyKindRoundTrips() {
        roundTrips(new OnlineNotice.Typing(new TypingNotice("u9", "zoë, the typist", "g1", 1_700_000_000_123L)));
        roundTrips(new OnlineNotice.Typing(new TypingNotice("u9", "zoë", null, 5)));
        roundTrips(new OnlineNotice.GroupCreated(new CreateGroupResponse(true, "g1", List.of("alice", "bob b"), null,
                "friends, old and new")));
        roundTrips(new OnlineNotice.MemberJoined(new GroupMemberJoined("g1", new Member("u4", "dave d", null))));
        roundTrips(new OnlineNotice.MemberQuit(new GroupMemberQuit("g1", new Member("u4", "dave", null))));
    }

    @Test
    void aV1DeviceGetsTheTutorialsCreateGroupResponseWithoutTheName() {
        OnlineNotice created = new OnlineNotice.GroupCreated(new CreateGroupResponse(true, "g1", List.of("a"), null,
                "named"));
        assertThat(created.packetFor(false)).isEqualTo(new CreateGroupResponse(true, "g1", List.of("a"), null));
        assertThat(new OnlineNotice.MemberJoined(new GroupMemberJoined("g1", new Member("u", "n", null)))
                .packetFor(false)).as("v1 never sees codes above 18").isNull();
    }

    @Test
    void whatItCannotReadIsIgnored() {
        for (String request : List.of("online", "online typing", "online typing u1", "online typing u1 {",
                "online typing u1 null", "online typing  {}", "online shout u1 {}", "all u1", "online quit u1 [1,2]")) {
            assertThat(OnlineNoticeCodec.decode(request)).as(request).isEmpty();
        }
    }
}

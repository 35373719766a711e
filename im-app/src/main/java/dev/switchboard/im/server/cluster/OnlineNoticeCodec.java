package dev.switchboard.im.server.cluster;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONException;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.server.session.OnlineNotice;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * An {@link OnlineNotice} and its recipients as a control request between nodes: {@code online KIND USER,USER
 * JSON}, the JSON being the notice's packet (user ids hold no spaces or commas; the JSON, last, may). A request this
 * node cannot read (version skew, another program on the channel) decodes to nothing and is ignored.
 */
final class OnlineNoticeCodec {

    static final String PREFIX = "online ";

    /** What a request carried. */
    record Decoded(List<String> userIds, OnlineNotice notice) {
    }

    private OnlineNoticeCodec() {
    }

    static String encode(Collection<String> userIds, OnlineNotice notice) {
        String kind;
        Object packet;
        if (notice instanceof OnlineNotice.Typing typing) {
            kind = "typing";
            packet = typing.notice();
        } else if (notice instanceof OnlineNotice.GroupCreated created) {
            kind = "created";
            packet = created.response();
        } else if (notice instanceof OnlineNotice.MemberJoined joined) {
            kind = "joined";
            packet = joined.joined();
        } else if (notice instanceof OnlineNotice.MemberQuit quit) {
            kind = "quit";
            packet = quit.quit();
        } else {
            throw new IllegalArgumentException("no wire form for " + notice);
        }
        return PREFIX + kind + " " + String.join(",", userIds) + " " + JSON.toJSONString(packet);
    }

    static Optional<Decoded> decode(String request) {
        if (!request.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = request.substring(PREFIX.length()).split(" ", 3);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        List<String> userIds = List.of(parts[1].split(",", -1));
        try {
            OnlineNotice notice = switch (parts[0]) {
                case "typing" -> new OnlineNotice.Typing(JSON.parseObject(parts[2], TypingNotice.class));
                case "created" -> new OnlineNotice.GroupCreated(JSON.parseObject(parts[2], CreateGroupResponse.class));
                case "joined" -> new OnlineNotice.MemberJoined(JSON.parseObject(parts[2], GroupMemberJoined.class));
                case "quit" -> new OnlineNotice.MemberQuit(JSON.parseObject(parts[2], GroupMemberQuit.class));
                default -> null;
            };
            return Optional.ofNullable(notice).map(n -> new Decoded(userIds, n));
        } catch (JSONException | NullPointerException e) { // not JSON, or JSON null: not ours
            return Optional.empty();
        }
    }
}

package dev.switchboard.bench.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * The command code of each packet class. Codes 21/22 (member notifications) are deliberately absent; of the v2
 * conversation commands (28-36) only history (28/29) and conversation lists (30/31) are spoken; of the inbox events
 * only group events (48), which every group workload causes.
 */
public enum CommandCode {
    LOGIN_REQUEST(1, LoginRequest.class),
    LOGIN_RESPONSE(2, LoginResponse.class),
    MESSAGE_REQUEST(3, MessageRequest.class),
    MESSAGE_RESPONSE(4, MessageResponse.class),
    LOGOUT_REQUEST(5, LogoutRequest.class),
    LOGOUT_RESPONSE(6, LogoutResponse.class),
    CREATE_GROUP_REQUEST(7, CreateGroupRequest.class),
    CREATE_GROUP_RESPONSE(8, CreateGroupResponse.class),
    JOIN_GROUP_REQUEST(11, JoinGroupRequest.class),
    JOIN_GROUP_RESPONSE(12, JoinGroupResponse.class),
    GROUP_MESSAGE_REQUEST(15, GroupMessageRequest.class),
    GROUP_MESSAGE_RESPONSE(16, GroupMessageResponse.class),
    HEART_BEAT_REQUEST(17, HeartBeatRequest.class),
    HEART_BEAT_RESPONSE(18, HeartBeatResponse.class),
    SEND_ACK(19, SendAck.class),
    DELIVERY_ACK(20, DeliveryAck.class),
    ERROR(23, ErrorResponse.class),
    HISTORY_REQUEST(28, HistoryRequest.class),
    HISTORY_RESPONSE(29, HistoryResponse.class),
    CONVERSATIONS_REQUEST(30, ConversationsRequest.class),
    CONVERSATIONS_RESPONSE(31, ConversationsResponse.class),
    GROUP_CHANGED(48, GroupChanged.class);

    private static final CommandCode[] BY_CODE = new CommandCode[256];
    private static final Map<Class<?>, CommandCode> BY_CLASS = new HashMap<>();

    static {
        for (CommandCode type : values()) {
            BY_CODE[type.code] = type;
            BY_CLASS.put(type.packetClass, type);
        }
    }

    private final int code;
    private final Class<?> packetClass;

    CommandCode(int code, Class<?> packetClass) {
        this.code = code;
        this.packetClass = packetClass;
    }

    /** The command byte. */
    public int code() {
        return code;
    }

    /** The record class of this packet. */
    public Class<?> packetClass() {
        return packetClass;
    }

    /** The type for a command byte, or {@code null} if unknown. */
    public static CommandCode ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The type of a packet object. */
    public static CommandCode of(Object packet) {
        CommandCode type = BY_CLASS.get(packet.getClass());
        if (type == null) {
            throw new IllegalArgumentException("not an encodable packet: " + packet.getClass().getName());
        }
        return type;
    }
}

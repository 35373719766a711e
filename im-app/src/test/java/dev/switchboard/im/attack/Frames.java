package dev.switchboard.im.attack;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Frame bytes in the IM's wire format, any header, any body; and the command codes the attacks use. */
final class Frames {

    static final int JSON_ID = 1;
    static final int JSONB_ID = 2;

    static final int LOGIN = 1;
    static final int LOGIN_RESPONSE = 2;
    static final int MESSAGE = 3;
    static final int LOGOUT = 5;
    static final int LOGOUT_RESPONSE = 6;
    static final int CREATE_GROUP = 7;
    static final int CREATE_GROUP_RESPONSE = 8;
    static final int LIST_MEMBERS = 9;
    static final int LIST_MEMBERS_RESPONSE = 10;
    static final int JOIN_GROUP = 11;
    static final int JOIN_GROUP_RESPONSE = 12;
    static final int HEARTBEAT = 17;
    static final int HEARTBEAT_RESPONSE = 18;
    static final int ERROR = 23;

    private Frames() {}

    /** | magic 4 | version 1 | serializer 1 | command 1 | length 4 |, with any length. */
    static byte[] header(int version, int serializer, int command, int length) {
        return ByteBuffer.allocate(11).putInt(0x12345678).put((byte) version).put((byte) serializer)
                .put((byte) command).putInt(length).array();
    }

    static byte[] frame(int version, int serializer, int command, byte[] body) {
        return ByteBuffer.allocate(11 + body.length).put(header(version, serializer, command, body.length))
                .put(body).array();
    }

    static byte[] json(int version, int command, String body) {
        return frame(version, JSON_ID, command, body.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] json(int version, int command, JSONObject body) {
        return json(version, command, body.toJSONString());
    }

    static byte[] login(int version, String name, String password) {
        return json(version, LOGIN, JSONObject.of("userName", name, "password", password));
    }

    static byte[] heartbeat(int version) {
        return json(version, HEARTBEAT, "{}");
    }

    /** The frames one after the other. */
    static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }

    static byte[] times(int count, byte[] frame) {
        ByteArrayOutputStream all = new ByteArrayOutputStream(count * frame.length);
        for (int i = 0; i < count; i++) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }

    /** A JSON body's field. */
    static String field(Swarm.Reply reply, String name) {
        return JSON.parseObject(reply.text()).getString(name);
    }
}

package dev.switchboard.im.model;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.EditMessageRequest;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupChanged;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.ListGroupMembersRequest;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.MarkReadRequest;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageChangeResponse;
import dev.switchboard.im.protocol.MessageEdited;
import dev.switchboard.im.protocol.MessageRecalled;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.RecallMessageRequest;
import dev.switchboard.im.protocol.ReadPositionChanged;
import dev.switchboard.im.protocol.SendAck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw protocol client on a plain socket, so the test decides how frames meet the wire: {@link #write} puts any
 * number of frames into ONE socket write (pipelining), whatever the server does with them. A reader thread decodes
 * every frame the server sends, in order, into the packet records, and appends it under the run's shared lock,
 * waking whoever waits on it. JSON bodies only; one protocol version per connection, as the protocol advises.
 */
final class WireClient implements AutoCloseable {

    /** A packet of a command code this client does not know. */
    record Unknown(int command, int length) {}

    private static final int MAGIC = 0x12345678;
    private static final Serializer JSON = Serializers.json();
    private static final Map<Integer, Class<?>> TYPES = new HashMap<>();
    private static final Map<Class<?>, Integer> CODES = new HashMap<>();

    static {
        for (Class<?> type : List.of(LoginRequest.class, LoginResponse.class, MessageRequest.class,
                MessageResponse.class, LogoutRequest.class, LogoutResponse.class, CreateGroupRequest.class,
                CreateGroupResponse.class, ListGroupMembersRequest.class, ListGroupMembersResponse.class,
                JoinGroupRequest.class, JoinGroupResponse.class, QuitGroupRequest.class, QuitGroupResponse.class,
                GroupMessageRequest.class, GroupMessageResponse.class, HeartBeatRequest.class,
                HeartBeatResponse.class, SendAck.class, DeliveryAck.class, GroupMemberJoined.class,
                GroupMemberQuit.class, ErrorResponse.class, GroupChanged.class,
                dev.switchboard.im.protocol.PresenceChanged.class, HistoryRequest.class, HistoryResponse.class,
                ConversationsRequest.class, ConversationsResponse.class, MarkReadRequest.class,
                MarkReadResponse.class, ReadPositionChanged.class, EditMessageRequest.class,
                RecallMessageRequest.class, MessageEdited.class, MessageRecalled.class,
                MessageChangeResponse.class)) {
            int code = type.getAnnotation(Command.class).code();
            TYPES.put(code, type);
            CODES.put(type, code);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final int version;
    private final Object lock;
    private final List<Object> received = new ArrayList<>(); // guarded by lock
    private final List<Long> receivedAt = new ArrayList<>(); // guarded by lock: System.nanoTime() of each
    private final Thread reader;
    private boolean ended; // guarded by lock: the reader saw end of stream or an error
    private volatile boolean closedByUs;

    private WireClient(Socket socket, int version, Object lock, String name) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.version = version;
        this.lock = lock;
        DataInputStream in = new DataInputStream(socket.getInputStream());
        this.reader = new Thread(() -> readAll(in), "model-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to the server on loopback; received packets are appended under {@code lock}. */
    static WireClient connect(int port, int version, Object lock, String name) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        return new WireClient(socket, version, lock, name);
    }

    int version() {
        return version;
    }

    /** Encodes the packets as frames of this connection's version and sends them all in one socket write. */
    void write(List<?> packets) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object packet : packets) {
            Integer code = CODES.get(packet.getClass());
            if (code == null) {
                throw new IllegalArgumentException("not a packet: " + packet);
            }
            ByteBuf body = Unpooled.buffer();
            try {
                JSON.write(packet, body);
                int length = body.readableBytes();
                bytes.write(new byte[] {0x12, 0x34, 0x56, 0x78, (byte) version, (byte) JSON.id(), code.byteValue(),
                        (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                body.readBytes(bytes, length);
            } finally {
                body.release();
            }
        }
        out.write(bytes.toByteArray());
        out.flush();
    }

    /** Every packet received so far, in arrival order; call holding the lock. */
    List<Object> received() {
        return received;
    }

    /**
     * When each packet of {@link #received()} was read ({@link System#nanoTime()}): one read before a request's
     * {@link #write} began was sent by the server before that request arrived. Call holding the lock.
     */
    long receivedAt(int index) {
        return receivedAt.get(index);
    }

    /** Whether the stream from the server ended (closed by either side); call holding the lock. */
    boolean ended() {
        return ended;
    }

    /** Whether the test closed this connection (rather than the server). */
    boolean closedByUs() {
        return closedByUs;
    }

    /** Closes abruptly (no logout) and waits until the reader has appended everything it had read. */
    @Override
    public void close() {
        closedByUs = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed already
        }
        awaitReader();
    }

    /** Waits for the reader to finish after the server closed the connection. */
    void awaitReader() {
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readAll(DataInputStream in) {
        try {
            while (true) {
                int magic = in.readInt();
                if (magic != MAGIC) {
                    throw new IOException("bad magic from server: " + Integer.toHexString(magic));
                }
                in.readUnsignedByte(); // version: replies echo ours, pushes use the login's
                int serializer = in.readUnsignedByte();
                int command = in.readUnsignedByte();
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                append(decode(serializer, command, body));
            }
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
        }
    }

    private static Object decode(int serializer, int command, byte[] body) {
        Class<?> type = TYPES.get(command);
        if (type == null || serializer != JSON.id()) {
            return new Unknown(command, body.length);
        }
        ByteBuf buffer = Unpooled.wrappedBuffer(body);
        try {
            return JSON.read(buffer, type);
        } finally {
            buffer.release();
        }
    }

    private void append(Object packet) {
        synchronized (lock) {
            received.add(packet);
            receivedAt.add(System.nanoTime());
            lock.notifyAll();
        }
    }
}

package dev.switchboard.im.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A plain socket speaking raw frames, for testing what a misbehaving or foreign client sees. */
public final class RawConnection implements AutoCloseable {

    /** One frame read back. */
    public record RawFrame(int version, int serializer, int command, String body) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        this(port, "127.0.0.1");
    }

    /** Connects from a given loopback address (any of 127.0.0.0/8), to look like another client host. */
    public RawConnection(int port, String localAddress) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
    }

    /** A frame with the IM's magic. */
    public static byte[] frame(int version, int serializer, int command, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(11 + body.length).putInt(0x12345678).put((byte) version).put((byte) serializer)
                .put((byte) command).putInt(body.length).put(body).array();
    }

    public RawConnection write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawFrame read() throws IOException {
        int magic = in.readInt();
        if (magic != 0x12345678) {
            throw new IOException("bad magic from server: " + Integer.toHexString(magic));
        }
        int version = in.readUnsignedByte();
        int serializer = in.readUnsignedByte();
        int command = in.readUnsignedByte();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new RawFrame(version, serializer, command, new String(body, StandardCharsets.UTF_8));
    }

    /** The next frame, or null if none starts arriving within {@code millis}. */
    public RawFrame readOrNull(int millis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            in.mark(1);
            int first = in.read();
            if (first < 0) {
                throw new EOFException("closed by the server");
            }
            in.reset();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(timeout);
        }
        return read();
    }

    /** Whether the server closed the connection within the socket timeout (reads until EOF, discarding). */
    public boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // discard whatever was still in flight
            }
            return true;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

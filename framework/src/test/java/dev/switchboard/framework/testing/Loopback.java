package dev.switchboard.framework.testing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/** Questions about ports on 127.0.0.1, asked the way a client would. */
public final class Loopback {

    private Loopback() {}

    /**
     * Whether a connection to the port is refused (nothing listens). A reset while connecting is a no: the listener
     * took the handshake and closed before accepting it, so it is closing but was there (CI saw this once, polling
     * a draining server). Any other failure fails the test.
     */
    public static boolean refusesConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (SocketException reset) {
            if (String.valueOf(reset.getMessage()).contains("reset")) {
                return false;
            }
            throw new AssertionError(reset);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

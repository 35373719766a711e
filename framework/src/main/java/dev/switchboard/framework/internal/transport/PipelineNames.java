package dev.switchboard.framework.internal.transport;

/**
 * The names of the framework's pipeline handlers, in the server's pipeline order (the client's has IDLE and
 * IDLE_ACTION before FRAME_DECODER, and REPLIES). Code that changes a pipeline uses only these.
 *
 * <p>A connection to the WebSocket listener starts with the same handlers up to READ_GATE, then speaks HTTP:
 * HTTP_CODEC, HTTP_AGGREGATOR, HTTP_IDLE, HTTP_IDLE_ACTION, WS_GUARD, (Netty's handshake handler), WS_PROTOCOL,
 * WS_UPGRADE, STATIC_FILES, ERRORS. Once the handshake is done, Netty replaces HTTP_CODEC and HTTP_AGGREGATOR with its
 * WebSocket frame codec, WS_UPGRADE removes the HTTP handlers (WS_PROTOCOL stays: it answers pings and close
 * frames), FRAME_RATE is added before WS_PROTOCOL (so that every WebSocket frame counts, pings too), and the
 * handlers from FRAME_DECODER to DISPATCH but FRAME_RATE are added before ERRORS, with a WebSocketFrameAdapter as
 * FRAME_DECODER (one binary message in, one frame out; one encoded frame in, one binary message out).
 *
 * <pre>
 *  socket
 *    │  BYTES           server only, with metrics on: counts the bytes read and written (TLS records included)
 *    │  TLS_CHECK       server only, with TLS on: closes a peer whose first byte cannot start a TLS handshake
 *    │                  (a plaintext client) at once, then removes itself
 *    │  TLS             only with TLS on: SslHandler, nearest the socket, so that every handler after it sees
 *    │                  plaintext and FLUSH's batching also makes fewer, larger TLS records
 *    │  FLUSH           FlushConsolidationHandler: batches flushes of many small replies
 *    │  TRACKER         server only: connection limit, the set of open channels, listeners
 *    │  SLOW_CONSUMER   stops reading while unwritable; closes a peer whose backlog goes over the byte limit
 *    │  READ_GATE       server only: drops the read requests of the handlers above while reading is paused
 *    │  FRAME_DECODER   bytes → Frame; closes on any framing violation; with metrics on, counts frames read
 *    │  FRAME_RATE      server only: pauses reading while the connection is over its frame rate
 *    │  IDLE            IdleStateHandler: reader idle (both sides), writer idle (client heartbeat); on the server
 *    │                  after the frame decoder, so only complete frames count as activity
 *    │  IDLE_ACTION     server: closes on reader idle; client: sends heartbeats, closes on reader idle
 *    │  PACKET_DECODER  Frame → Inbound (Decoded, or Rejected for the error handler)
 *    │  PACKET_ENCODER  Outbound → bytes; with metrics on, counts frames written (shared ones too)
 *    │  REPLIES         client only: completes request futures with their replies
 *    │  ORDER           holds packets while a blocking handler runs, so handlers see them in order
 *    │  AUTH            server only, until authenticated: lets only anonymous commands through
 *    │  DISPATCH        calls the handler, writes its reply, or asks the error handler
 *    ▼  ERRORS          logs an unexpected exception once and closes
 * </pre>
 */
public final class PipelineNames {

    public static final String BYTES = "bytes";
    public static final String TLS_CHECK = "tls-check";
    public static final String TLS = "tls";
    public static final String FLUSH = "flush";
    public static final String TRACKER = "tracker";
    public static final String SLOW_CONSUMER = "slow-consumer";
    public static final String READ_GATE = "read-gate";
    public static final String IDLE = "idle";
    public static final String IDLE_ACTION = "idle-action";
    public static final String FRAME_DECODER = "frame-decoder";
    public static final String FRAME_RATE = "frame-rate";
    public static final String PACKET_DECODER = "packet-decoder";
    public static final String PACKET_ENCODER = "packet-encoder";
    public static final String REPLIES = "replies";
    public static final String ORDER = "order";
    public static final String AUTH = "auth";
    public static final String DISPATCH = "dispatch";
    public static final String ERRORS = "errors";
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String HTTP_IDLE = "http-idle";
    public static final String HTTP_IDLE_ACTION = "http-idle-action";
    public static final String WS_GUARD = "ws-guard";
    public static final String WS_PROTOCOL = "ws-protocol";
    public static final String WS_UPGRADE = "ws-upgrade";
    public static final String STATIC_FILES = "static-files";

    private PipelineNames() {}
}

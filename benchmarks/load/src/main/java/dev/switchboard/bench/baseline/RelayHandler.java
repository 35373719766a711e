package dev.switchboard.bench.baseline;

import dev.switchboard.bench.protocol.CommandCode;
import dev.switchboard.bench.protocol.CreateGroupRequest;
import dev.switchboard.bench.protocol.CreateGroupResponse;
import dev.switchboard.bench.protocol.DeliveryAck;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.GroupMessageRequest;
import dev.switchboard.bench.protocol.GroupMessageResponse;
import dev.switchboard.bench.protocol.HeartBeatRequest;
import dev.switchboard.bench.protocol.HeartBeatResponse;
import dev.switchboard.bench.protocol.JoinGroupRequest;
import dev.switchboard.bench.protocol.JoinGroupResponse;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.protocol.LoginResponse;
import dev.switchboard.bench.protocol.LogoutRequest;
import dev.switchboard.bench.protocol.LogoutResponse;
import dev.switchboard.bench.protocol.MalformedPacket;
import dev.switchboard.bench.protocol.MessageRequest;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.protocol.SendAck;
import dev.switchboard.bench.protocol.UnknownPacket;
import dev.switchboard.bench.protocol.UserRef;
import dev.switchboard.bench.protocol.WireFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one connection's packets. Stateful, one instance per channel, all methods on its event loop. Replies to
 * the sender are written directly and flushed once per read batch ({@link #channelReadComplete}); deliveries to
 * other users go through their {@link Outbox}.
 */
final class RelayHandler extends SimpleChannelInboundHandler<WireFrame> {

    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

    private final RelayDirectory directory;
    private final AtomicInteger openConnections;
    private Outbox outbox;
    private RelayUser user;
    private boolean needsFlush;

    RelayHandler(RelayDirectory directory, AtomicInteger openConnections) {
        this.directory = directory;
        this.openConnections = openConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        outbox = new Outbox(ctx.channel());
        openConnections.incrementAndGet();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        openConnections.decrementAndGet();
        logout();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WireFrame frame) {
        outbox.adopt(frame.version(), frame.format());
        Object packet = frame.packet();
        if (packet instanceof MalformedPacket malformed) {
            error(ctx, malformed.command(), ErrorResponse.BAD_REQUEST, malformed.reason());
        } else if (packet instanceof UnknownPacket unknown) {
            error(ctx, unknown.command(), ErrorResponse.UNKNOWN_COMMAND, "unknown command " + unknown.command());
        } else if (packet instanceof LoginRequest login) {
            login(ctx, login);
        } else if (packet instanceof HeartBeatRequest) {
            reply(ctx, new HeartBeatResponse());
        } else if (user == null) {
            int command = CommandCode.of(packet).code();
            error(ctx, command, ErrorResponse.NOT_LOGGED_IN, "log in first");
        } else if (packet instanceof MessageRequest message) {
            message(ctx, message);
        } else if (packet instanceof GroupMessageRequest message) {
            groupMessage(ctx, message);
        } else if (packet instanceof DeliveryAck) {
            // Nothing to acknowledge against: the baseline keeps no unacknowledged-delivery store.
        } else if (packet instanceof CreateGroupRequest create) {
            createGroup(ctx, create);
        } else if (packet instanceof JoinGroupRequest join) {
            joinGroup(ctx, join);
        } else if (packet instanceof LogoutRequest) {
            logout();
            reply(ctx, new LogoutResponse(true, null));
        } else {
            int command = CommandCode.of(packet).code();
            error(ctx, command, ErrorResponse.UNKNOWN_COMMAND, "not a request: command " + command);
        }
    }

    private void login(ChannelHandlerContext ctx, LoginRequest request) {
        String name = request.userName();
        if (name == null || name.isBlank()) {
            reply(ctx, new LoginResponse(false, "userName is required", null, name, null));
            return;
        }
        RelayUser found;
        if (request.token() != null) {
            found = directory.byName(name);
            if (found == null || !request.token().equals(found.token())) {
                // The IM server's reason, so that resuming clients fall back to the password here too.
                reply(ctx, new LoginResponse(false, "invalid or expired token", null, name, null));
                return;
            }
        } else {
            found = directory.register(name);
        }
        logout();
        user = found;
        String token = UUID.randomUUID().toString();
        found.token(token);
        found.bind(outbox);
        reply(ctx, new LoginResponse(true, null, found.id(), found.name(), token));
    }

    private void message(ChannelHandlerContext ctx, MessageRequest request) {
        RelayUser to = request.toUserId() != null ? directory.byId(request.toUserId())
                : directory.byName(request.toUserName());
        if (to == null) {
            error(ctx, CommandCode.MESSAGE_REQUEST.code(), ErrorResponse.NO_SUCH_USER, "no such user");
            return;
        }
        if (request.message() == null) {
            error(ctx, CommandCode.MESSAGE_REQUEST.code(), ErrorResponse.BAD_REQUEST, "message is required");
            return;
        }
        long messageId = directory.nextMessageId();
        long timestamp = System.currentTimeMillis();
        reply(ctx, new SendAck(request.clientMsgId(), messageId, timestamp));
        RelayUser from = user;
        to.deliver(seq -> new MessageResponse(
                from.id(), from.name(), request.message(), messageId, seq, timestamp));
    }

    private void groupMessage(ChannelHandlerContext ctx, GroupMessageRequest request) {
        RelayGroup group = directory.group(request.toGroupId());
        int command = CommandCode.GROUP_MESSAGE_REQUEST.code();
        if (group == null) {
            error(ctx, command, ErrorResponse.NO_SUCH_GROUP, "no such group");
            return;
        }
        if (!group.isMember(user)) {
            error(ctx, command, ErrorResponse.NOT_A_MEMBER, "not a member of " + group.id());
            return;
        }
        if (request.message() == null) {
            error(ctx, command, ErrorResponse.BAD_REQUEST, "message is required");
            return;
        }
        long messageId = directory.nextMessageId();
        long timestamp = System.currentTimeMillis();
        reply(ctx, new SendAck(request.clientMsgId(), messageId, timestamp));
        UserRef from = new UserRef(user.id(), user.name());
        for (RelayUser member : group.members()) {
            member.deliver(seq -> new GroupMessageResponse(
                    group.id(), from, request.message(), messageId, seq, timestamp));
        }
    }

    private void createGroup(ChannelHandlerContext ctx, CreateGroupRequest request) {
        Set<RelayUser> members = new LinkedHashSet<>();
        members.add(user);
        List<String> unknown = new ArrayList<>();
        if (request.userIdList() != null) {
            for (String id : request.userIdList()) {
                addMember(members, unknown, id, directory.byId(id));
            }
        }
        if (request.userNameList() != null) {
            for (String name : request.userNameList()) {
                addMember(members, unknown, name, directory.byName(name));
            }
        }
        if (!unknown.isEmpty()) {
            error(ctx, CommandCode.CREATE_GROUP_REQUEST.code(), ErrorResponse.NO_SUCH_USER,
                    "no such users " + unknown);
            return;
        }
        RelayGroup group = directory.createGroup(members);
        List<String> names = new ArrayList<>(members.size());
        for (RelayUser member : members) {
            names.add(member.name());
        }
        CreateGroupResponse response = new CreateGroupResponse(true, group.id(), names, null);
        for (RelayUser member : members) {
            member.notifyAll(response);
        }
    }

    private static void addMember(Set<RelayUser> members, List<String> unknown, String key, RelayUser found) {
        if (found == null) {
            unknown.add(key);
        } else {
            members.add(found);
        }
    }

    private void joinGroup(ChannelHandlerContext ctx, JoinGroupRequest request) {
        RelayGroup group = directory.group(request.groupId());
        if (group == null) {
            error(ctx, CommandCode.JOIN_GROUP_REQUEST.code(), ErrorResponse.NO_SUCH_GROUP, "no such group");
            return;
        }
        group.join(user);
        reply(ctx, new JoinGroupResponse(group.id(), true, null));
    }

    private void logout() {
        if (user != null) {
            user.unbind(outbox);
            user = null;
        }
    }

    private void error(ChannelHandlerContext ctx, int command, String code, String reason) {
        reply(ctx, new ErrorResponse(command, code, reason));
    }

    private void reply(ChannelHandlerContext ctx, Object packet) {
        ctx.write(outbox.frame(packet), ctx.voidPromise());
        needsFlush = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            log.debug("[{}] idle, closing", ctx.channel().id());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("[{}] closing after {}", ctx.channel().id(), cause.toString());
        ctx.close();
    }
}

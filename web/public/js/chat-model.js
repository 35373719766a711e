// What the web client knows: conversations, their messages, read positions, presence and typing. No DOM and no
// network: app.js feeds it packets and renders what it holds, and the unit tests feed it packets directly.

/** The key of a direct conversation with `peerId`. */
export const directKey = (peerId) => `u:${peerId}`;
/** The key of a group conversation. */
export const groupKey = (groupId) => `g:${groupId}`;

/** How long a typing notice is shown without a new one (the server forwards one every 2 s while typing). */
export const TYPING_SHOWN_MS = 4000;

const EVENT_TEXT = {
  created: (e) => `${e.by} created the group${e.groupName ? ` “${e.groupName}”` : ''}`,
  renamed: (e) => `${e.by} renamed the group to “${e.groupName}”`,
  joined: (e) => `${e.user} joined`,
  left: (e) => `${e.user} left`,
  added: (e) => `${e.by} added ${e.user}`,
  kicked: (e) => `${e.by} removed ${e.user}`,
  promoted: (e) => `${e.by} made ${e.user} an admin`,
  demoted: (e) => `${e.by} made ${e.user} a member`,
  muted: (e) => `${e.by} muted ${e.user}`,
  unmuted: (e) => `${e.by} unmuted ${e.user}`,
  group_muted: (e) => `${e.by} muted the group`,
  group_unmuted: (e) => `${e.by} unmuted the group`,
  owner_changed: (e) => `${e.user} is now the owner`,
};

/** A group event in words, e.g. `bob renamed the group to “Night shift”`. */
export function describeEvent(event, by, user, groupName) {
  const text = EVENT_TEXT[event];
  const names = { by: by?.userName ?? 'someone', user: user?.userName ?? 'someone', groupName };
  return text ? text(names) : `${names.by}: ${event}`;
}

/** One conversation: messages by id, the read positions, and what the server said about it. */
class Conversation {
  constructor(key, fields) {
    this.key = key;
    this.peerId = fields.peerId ?? null;
    this.peerName = fields.peerName ?? null;
    this.groupId = fields.groupId ?? null;
    this.groupName = fields.groupName ?? null;
    this.messages = new Map(); // messageId (or clientMsgId while sending) -> message
    this.readUpTo = 0;
    this.peerReadUpTo = 0; // direct: how far the other side has read
    this.unread = 0;
    this.lastMessage = null;
    this.historyLoaded = false; // the newest page was fetched
    this.more = true; // older messages may remain on the server
    this.rank = 0;
    this.typing = new Map(); // userName -> until (ms)
    this.left = false; // a group this user is no longer in
  }

  get isGroup() {
    return this.groupId !== null;
  }

  get title() {
    return this.isGroup ? (this.groupName ?? `group ${this.groupId}`) : (this.peerName ?? this.peerId);
  }

  /** Messages and events, oldest first; messages still being sent last, in the order they were sent. */
  get ordered() {
    return [...this.messages.values()].sort((a, b) => {
      if (a.pending !== b.pending) {
        return a.pending ? 1 : -1;
      }
      return a.pending ? a.sentAt - b.sentAt : a.messageId - b.messageId;
    });
  }

  /** The oldest stored message id held, for paging back. */
  get oldestId() {
    let oldest = null;
    for (const message of this.messages.values()) {
      if (!message.pending && (oldest === null || message.messageId < oldest)) {
        oldest = message.messageId;
      }
    }
    return oldest;
  }

  /** The newest stored message id held, or 0. */
  get newestId() {
    let newest = 0;
    for (const message of this.messages.values()) {
      if (!message.pending && message.messageId > newest) {
        newest = message.messageId;
      }
    }
    return newest;
  }

  put(message) {
    const existing = this.messages.get(message.messageId);
    // A later state wins: a recall over anything, an edit over the plain message.
    if (existing && (existing.recalled || (existing.editedAt ?? 0) > (message.editedAt ?? 0))) {
      return existing;
    }
    this.messages.set(message.messageId, message);
    if (!message.event && (this.lastMessage === null || message.messageId >= this.lastMessage.messageId)) {
      this.lastMessage = message;
    }
    return message;
  }
}

/** The client's state for one logged-in user. */
export class ChatModel {
  /** @param {{userId: string, userName: string}} me */
  constructor(me, now = () => Date.now()) {
    this.me = me;
    this.now = now;
    this.conversations = new Map();
    this.presence = new Map(); // userId -> boolean
    this.names = new Map(); // userId -> userName
    this.groups = new Map(); // groupId -> GroupSummary (role, muted, ...)
    this.counter = 0;
  }

  /** The conversation with this key, created if absent (`fields` names its peer or group). */
  conversation(key, fields = {}) {
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = new Conversation(key, fields);
      this.conversations.set(key, conversation);
    } else {
      conversation.peerName ??= fields.peerName ?? null;
      if (fields.groupName) {
        conversation.groupName = fields.groupName;
      }
    }
    if (conversation.peerId && conversation.peerName) {
      this.names.set(conversation.peerId, conversation.peerName);
    }
    return conversation;
  }

  /** Conversations for the list, most recently active first. */
  get list() {
    return [...this.conversations.values()].filter((c) => !c.left).sort((a, b) => b.rank - a.rank);
  }

  /** Total unread messages, for the title. */
  get unreadTotal() {
    return this.list.reduce((sum, c) => sum + c.unread, 0);
  }

  /** A page of ConversationsResponse, most recent first: the first page replaces the list's order. */
  loadConversations(infos, firstPage) {
    if (firstPage) {
      this.counter = Math.max(this.counter, infos.length + 1) + this.conversations.size;
    }
    let rank = firstPage ? this.counter : this.lowestRank();
    for (const info of infos) {
      const key = info.groupId ? groupKey(info.groupId) : directKey(info.peerId);
      const conversation = this.conversation(key, { peerId: info.peerId, peerName: info.peerName,
        groupId: info.groupId, groupName: this.groups.get(info.groupId)?.groupName });
      conversation.readUpTo = Math.max(conversation.readUpTo, info.readUpTo ?? 0);
      conversation.unread = info.unreadCount ?? 0;
      conversation.left = false;
      if (info.lastMessage) {
        conversation.put(this.fromHistory(info.lastMessage));
      }
      rank -= 1;
      conversation.rank = rank;
    }
  }

  lowestRank() {
    let lowest = this.counter;
    for (const c of this.conversations.values()) {
      lowest = Math.min(lowest, c.rank);
    }
    return lowest;
  }

  /** MyGroupsResponse: names and roles. */
  loadGroups(groups) {
    for (const group of groups) {
      this.groups.set(group.groupId, group);
      this.conversation(groupKey(group.groupId), { groupId: group.groupId, groupName: group.groupName });
    }
  }

  /** A HistoryResponse page (newest first) for `key`. */
  loadHistory(key, response, firstPage) {
    const conversation = this.conversations.get(key);
    if (!conversation) {
      return;
    }
    if (response.peerId && !conversation.peerId) {
      conversation.peerId = response.peerId;
    }
    for (const message of response.messages ?? []) {
      conversation.put(this.fromHistory(message));
    }
    // A direct page carries the peer's read position: after a reload the read marks come from here.
    conversation.peerReadUpTo = Math.max(conversation.peerReadUpTo, response.peerReadUpTo ?? 0);
    if (firstPage) {
      conversation.historyLoaded = true;
    }
    conversation.more = Boolean(response.more);
  }

  fromHistory(m) {
    if (m.fromUserId && m.fromUserName) {
      this.names.set(m.fromUserId, m.fromUserName);
    }
    return {
      messageId: m.messageId, fromUserId: m.fromUserId, fromUserName: m.fromUserName, text: m.message ?? '',
      timestamp: m.timestamp, editedAt: m.editedAt ?? null, recalled: Boolean(m.recalled),
      event: m.event ? describeEvent(m.event, { userName: m.fromUserName }, m.user, m.groupName) : null,
      pending: false,
    };
  }

  /** A message this user is sending: shown at once, confirmed by {@link #confirmed}. */
  sending(key, clientMsgId, text) {
    const conversation = this.conversations.get(key);
    const message = { messageId: clientMsgId, clientMsgId, fromUserId: this.me.userId, fromUserName: this.me.userName,
      text, timestamp: this.now(), editedAt: null, recalled: false, event: null, pending: true, sentAt: this.now() };
    conversation.messages.set(clientMsgId, message);
    this.touch(conversation);
    return message;
  }

  /** The SendAck for a message being sent: it now has its id and time. */
  confirmed(key, clientMsgId, ack) {
    const conversation = this.conversations.get(key);
    const message = conversation?.messages.get(clientMsgId);
    if (!message) {
      return;
    }
    conversation.messages.delete(clientMsgId);
    // The own copy of a group message may have arrived first; it wins.
    if (!conversation.messages.has(ack.messageId)) {
      conversation.put({ ...message, messageId: ack.messageId, timestamp: ack.timestamp, pending: false });
    }
  }

  /** A message the server refused: it stays, marked with the reason. */
  failed(key, clientMsgId, reason) {
    const message = this.conversations.get(key)?.messages.get(clientMsgId);
    if (message) {
      message.failed = reason;
    }
  }

  touch(conversation) {
    this.counter += 1;
    conversation.rank = this.counter;
  }

  /** A delivery or notice from the server, by packet name; returns the key of the conversation it changed, or null. */
  apply(name, body) {
    switch (name) {
      case 'MessageResponse':
        return this.directMessage(body);
      case 'GroupMessageResponse':
        return this.groupMessage(body);
      case 'GroupChanged':
        return this.groupChanged(body);
      case 'MessageEdited':
        return this.edited(body);
      case 'MessageRecalled':
        return this.recalled(body);
      case 'ReadPositionChanged':
        return this.readPositionChanged(body);
      case 'TypingNotice':
        return this.typingNotice(body);
      case 'PresenceChanged':
        this.setPresence([body.user]);
        return null;
      case 'CreateGroupResponse':
        if (body.success && body.groupId) {
          const conversation = this.conversation(groupKey(body.groupId), { groupId: body.groupId,
            groupName: body.groupName });
          conversation.left = false;
          this.touch(conversation);
          return conversation.key;
        }
        return null;
      default:
        return null;
    }
  }

  directMessage(body) {
    if (body.fromUserId === this.me.userId) {
      return null; // a copy of one's own direct message carries no peer: history shows it where it belongs
    }
    const conversation = this.conversation(directKey(body.fromUserId), { peerId: body.fromUserId,
      peerName: body.fromUserName });
    return this.arrived(conversation, body.fromUserId, body.fromUserName, body);
  }

  groupMessage(body) {
    const conversation = this.conversation(groupKey(body.fromGroupId), { groupId: body.fromGroupId });
    return this.arrived(conversation, body.fromUser?.userId, body.fromUser?.userName, body);
  }

  arrived(conversation, fromUserId, fromUserName, body) {
    const known = conversation.messages.has(body.messageId);
    conversation.put({ messageId: body.messageId, fromUserId, fromUserName, text: body.message ?? '',
      timestamp: body.timestamp ?? this.now(), editedAt: null, recalled: false, event: null, pending: false });
    conversation.typing.delete(fromUserName);
    if (!known && fromUserId !== this.me.userId && body.messageId > conversation.readUpTo) {
      conversation.unread += 1;
    }
    this.touch(conversation);
    return conversation.key;
  }

  groupChanged(body) {
    const conversation = this.conversation(groupKey(body.groupId), { groupId: body.groupId,
      groupName: body.groupName });
    conversation.put({ messageId: body.messageId, fromUserId: body.by?.userId, fromUserName: body.by?.userName,
      text: '', timestamp: body.timestamp, editedAt: null, recalled: false, pending: false,
      event: describeEvent(body.event, body.by, body.user, body.groupName) });
    const aboutMe = body.user?.userId === this.me.userId;
    if (aboutMe && (body.event === 'left' || body.event === 'kicked')) {
      conversation.left = true;
      this.groups.delete(body.groupId);
    } else {
      conversation.left = false;
      this.touch(conversation);
    }
    const group = this.groups.get(body.groupId);
    if (group && body.groupName) {
      group.groupName = body.groupName;
    }
    return conversation.key;
  }

  changedConversation(body) {
    if (body.groupId) {
      return this.conversations.get(groupKey(body.groupId)) ?? null;
    }
    return body.peerId ? this.conversations.get(directKey(body.peerId)) ?? null : null;
  }

  edited(body) {
    const conversation = this.changedConversation(body);
    const message = conversation?.messages.get(body.messageId);
    if (!message || message.recalled) {
      return conversation?.key ?? null;
    }
    message.text = body.message;
    message.editedAt = body.editedAt;
    return conversation.key;
  }

  recalled(body) {
    const conversation = this.changedConversation(body);
    if (!conversation) {
      return null;
    }
    const message = conversation.messages.get(body.messageId);
    if (message) {
      message.recalled = true;
      message.text = '';
    } else {
      conversation.put({ messageId: body.messageId, fromUserId: body.fromUserId, fromUserName: body.fromUserName,
        text: '', timestamp: body.recalledAt, editedAt: null, recalled: true, event: null, pending: false });
    }
    return conversation.key;
  }

  readPositionChanged(body) {
    const conversation = this.changedConversation(body);
    if (!conversation) {
      return null;
    }
    if (body.userId === this.me.userId) {
      // Another device of ours read it: count only what is newer than the position.
      if (body.readUpTo > conversation.readUpTo) {
        conversation.readUpTo = body.readUpTo;
        conversation.unread = [...conversation.messages.values()].filter((m) => !m.pending && !m.event
          && m.fromUserId !== this.me.userId && m.messageId > body.readUpTo).length;
      }
    } else {
      conversation.peerReadUpTo = Math.max(conversation.peerReadUpTo, body.readUpTo);
    }
    return conversation.key;
  }

  /** This user read `key` up to its newest message; returns the id to send in a MarkReadRequest, or 0 if none. */
  read(key) {
    const conversation = this.conversations.get(key);
    if (!conversation) {
      return 0;
    }
    const newest = conversation.newestId;
    conversation.unread = 0;
    if (newest <= conversation.readUpTo) {
      return 0;
    }
    conversation.readUpTo = newest;
    return newest;
  }

  typingNotice(body) {
    const key = body.groupId ? groupKey(body.groupId) : directKey(body.fromUserId);
    const conversation = this.conversations.get(key) ?? (body.groupId ? null
      : this.conversation(key, { peerId: body.fromUserId, peerName: body.fromUserName }));
    if (!conversation) {
      return null;
    }
    conversation.typing.set(body.fromUserName, this.now() + TYPING_SHOWN_MS);
    return key;
  }

  /** Who is typing in `key` now. */
  typingIn(key) {
    const conversation = this.conversations.get(key);
    if (!conversation) {
      return [];
    }
    const now = this.now();
    for (const [name, until] of conversation.typing) {
      if (until <= now) {
        conversation.typing.delete(name);
      }
    }
    return [...conversation.typing.keys()];
  }

  /** Members from a PresenceQueryResponse, PresenceChanged or GroupInfoResponse. */
  setPresence(members) {
    for (const member of members) {
      if (member?.userId && typeof member.online === 'boolean') {
        this.presence.set(member.userId, member.online);
      }
      if (member?.userId && member.userName) {
        this.names.set(member.userId, member.userName);
      }
    }
  }

  /** Whether a user is online: true, false, or undefined if unknown (hidden, or never asked). */
  online(userId) {
    return this.presence.get(userId);
  }

  /** The peers of direct conversations, for a PresenceQueryRequest (at most 200). */
  get peerIds() {
    return this.list.filter((c) => !c.isGroup && c.peerId).map((c) => c.peerId).slice(0, 200);
  }
}

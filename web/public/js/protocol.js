// The Switchboard IM wire protocol for JavaScript: frames, command codes, and a connection over WebSocket that logs
// in, resumes with a token and lastSeq, acknowledges deliveries, sends heartbeats and reconnects.
//
// No DOM and no dependencies: it runs in a browser and in Node (give it a WebSocket implementation). Only version 2
// with JSON bodies is spoken. docs/protocol.md is the reference for every packet; docs/web.md for this module's API.

/** The first four bytes of every frame. */
export const MAGIC = 0x12345678;
/** magic (4) + version (1) + serializer (1) + command (1) + body length (4). */
export const HEADER_LENGTH = 11;
export const VERSION = 2;
/** Serializer 1: a UTF-8 JSON object. */
export const SERIALIZER_JSON = 1;
/** The server's default body limit (`--max-frame-body`). */
export const MAX_BODY_LENGTH = 1024 * 1024;

/** Command codes by packet name, as in docs/protocol.md. */
export const Command = Object.freeze({
  LoginRequest: 1,
  LoginResponse: 2,
  MessageRequest: 3,
  MessageResponse: 4,
  LogoutRequest: 5,
  LogoutResponse: 6,
  CreateGroupRequest: 7,
  CreateGroupResponse: 8,
  ListGroupMembersRequest: 9,
  ListGroupMembersResponse: 10,
  JoinGroupRequest: 11,
  JoinGroupResponse: 12,
  QuitGroupRequest: 13,
  QuitGroupResponse: 14,
  GroupMessageRequest: 15,
  GroupMessageResponse: 16,
  HeartBeatRequest: 17,
  HeartBeatResponse: 18,
  SendAck: 19,
  DeliveryAck: 20,
  GroupMemberJoined: 21,
  GroupMemberQuit: 22,
  ErrorResponse: 23,
  LogoutAllRequest: 26,
  LogoutAllResponse: 27,
  HistoryRequest: 28,
  HistoryResponse: 29,
  ConversationsRequest: 30,
  ConversationsResponse: 31,
  MarkReadRequest: 32,
  MarkReadResponse: 33,
  ReadPositionChanged: 34,
  ReadCountRequest: 35,
  ReadCountResponse: 36,
  EditMessageRequest: 37,
  RecallMessageRequest: 38,
  MessageEdited: 39,
  TypingRequest: 40,
  TypingNotice: 41,
  PresenceQueryRequest: 42,
  PresenceQueryResponse: 43,
  PresenceChanged: 44,
  PresenceVisibilityRequest: 45,
  PresenceVisibilityResponse: 46,
  GroupChanged: 48,
  RenameGroupRequest: 49,
  AddGroupMembersRequest: 50,
  KickGroupMemberRequest: 51,
  SetGroupRoleRequest: 52,
  MuteGroupMemberRequest: 53,
  MuteGroupRequest: 54,
  TransferGroupRequest: 55,
  GroupChangeResponse: 56,
  MyGroupsRequest: 57,
  MyGroupsResponse: 58,
  GroupInfoRequest: 59,
  GroupInfoResponse: 60,
  MessageRecalled: 64,
  MessageChangeResponse: 65,
});

const NAMES = new Map(Object.entries(Command).map(([name, code]) => [code, name]));

/** The packet name of a command code, or `command N` for one this module does not know. */
export function commandName(code) {
  return NAMES.get(code) ?? `command ${code}`;
}

/** The reply each request waits for; requests not listed (DeliveryAck, TypingRequest) get none on success. */
const REPLIES = new Map([
  [Command.LoginRequest, Command.LoginResponse],
  [Command.MessageRequest, Command.SendAck],
  [Command.GroupMessageRequest, Command.SendAck],
  [Command.LogoutRequest, Command.LogoutResponse],
  [Command.CreateGroupRequest, Command.CreateGroupResponse],
  [Command.ListGroupMembersRequest, Command.ListGroupMembersResponse],
  [Command.JoinGroupRequest, Command.JoinGroupResponse],
  [Command.QuitGroupRequest, Command.QuitGroupResponse],
  [Command.HeartBeatRequest, Command.HeartBeatResponse],
  [Command.LogoutAllRequest, Command.LogoutAllResponse],
  [Command.HistoryRequest, Command.HistoryResponse],
  [Command.ConversationsRequest, Command.ConversationsResponse],
  [Command.MarkReadRequest, Command.MarkReadResponse],
  [Command.ReadCountRequest, Command.ReadCountResponse],
  [Command.EditMessageRequest, Command.MessageChangeResponse],
  [Command.RecallMessageRequest, Command.MessageChangeResponse],
  [Command.PresenceQueryRequest, Command.PresenceQueryResponse],
  [Command.PresenceVisibilityRequest, Command.PresenceVisibilityResponse],
  [Command.RenameGroupRequest, Command.GroupChangeResponse],
  [Command.AddGroupMembersRequest, Command.GroupChangeResponse],
  [Command.KickGroupMemberRequest, Command.GroupChangeResponse],
  [Command.SetGroupRoleRequest, Command.GroupChangeResponse],
  [Command.MuteGroupMemberRequest, Command.GroupChangeResponse],
  [Command.MuteGroupRequest, Command.GroupChangeResponse],
  [Command.TransferGroupRequest, Command.GroupChangeResponse],
  [Command.MyGroupsRequest, Command.MyGroupsResponse],
  [Command.GroupInfoRequest, Command.GroupInfoResponse],
]);

/** The reply code a request waits for, or undefined if it gets none. */
export function replyTo(requestCode) {
  return REPLIES.get(requestCode);
}

/** A frame that breaks the framing rules, or a body that is not a JSON object. */
export class ProtocolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** A request the server refused: an ErrorResponse (`code` such as NO_SUCH_USER) or a failed login (LOGIN_FAILED). */
export class ImError extends Error {
  constructor(code, reason, requestCommand) {
    super(reason || code);
    this.name = 'ImError';
    this.code = code;
    this.requestCommand = requestCommand;
  }
}

/** The connection was lost (or closed) before the request was answered. */
export class ConnectionLostError extends Error {
  constructor(message = 'connection lost') {
    super(message);
    this.name = 'ConnectionLostError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * One frame: the 11-byte header and `body` as JSON.
 *
 * @param {number} command a command code (0 to 255)
 * @param {object} body the packet; null and undefined fields are left out, as the server does
 * @returns {Uint8Array}
 */
export function encodeFrame(command, body = {}, { version = VERSION, maxBodyLength = MAX_BODY_LENGTH } = {}) {
  if (!Number.isInteger(command) || command < 0 || command > 255) {
    throw new RangeError(`command must be 0 to 255: ${command}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TypeError('body must be an object');
  }
  const json = encoder.encode(JSON.stringify(body, (key, value) => (value === null ? undefined : value)));
  if (json.length > maxBodyLength) {
    throw new RangeError(`body of ${json.length} bytes is over the limit of ${maxBodyLength}`);
  }
  const frame = new Uint8Array(HEADER_LENGTH + json.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC);
  view.setUint8(4, version);
  view.setUint8(5, SERIALIZER_JSON);
  view.setUint8(6, command);
  view.setInt32(7, json.length);
  frame.set(json, HEADER_LENGTH);
  return frame;
}

/**
 * The header fields at the start of `bytes`, or null if fewer than 11 bytes are there.
 *
 * @throws {ProtocolError} on bad magic, or a body length that is negative or over `maxBodyLength`
 */
export function decodeHeader(bytes, { maxBodyLength = MAX_BODY_LENGTH } = {}) {
  const data = asBytes(bytes);
  if (data.length < HEADER_LENGTH) {
    return null;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const magic = view.getUint32(0);
  if (magic !== MAGIC) {
    throw new ProtocolError(`bad magic 0x${magic.toString(16).padStart(8, '0')}`);
  }
  const bodyLength = view.getInt32(7);
  if (bodyLength < 0) {
    throw new ProtocolError(`negative body length ${bodyLength}`);
  }
  if (bodyLength > maxBodyLength) {
    throw new ProtocolError(`body length ${bodyLength} is over the limit of ${maxBodyLength}`);
  }
  return { version: view.getUint8(4), serializer: view.getUint8(5), command: view.getUint8(6), bodyLength };
}

/**
 * Exactly one frame, as a WebSocket binary message carries it.
 *
 * @param {ArrayBuffer|ArrayBufferView} bytes
 * @returns {{version: number, serializer: number, command: number, name: string, body: object}}
 * @throws {ProtocolError} on a short or long message, bad magic, a serializer other than JSON, or a body that is
 *   not a JSON object
 */
export function decodeFrame(bytes, { maxBodyLength = MAX_BODY_LENGTH } = {}) {
  const data = asBytes(bytes);
  const header = decodeHeader(data, { maxBodyLength });
  if (header === null) {
    throw new ProtocolError(`a frame needs ${HEADER_LENGTH} header bytes, got ${data.length}`);
  }
  if (data.length !== HEADER_LENGTH + header.bodyLength) {
    throw new ProtocolError(`the header announces ${header.bodyLength} body bytes, the message holds `
      + `${data.length - HEADER_LENGTH}`);
  }
  return decodeBody(header, data.subarray(HEADER_LENGTH));
}

/**
 * Splits a byte stream (a TCP socket in Node) into frames; WebSocket users want {@link decodeFrame} instead.
 * Bytes of an incomplete frame are kept for the next {@link FrameReader#push}.
 */
export class FrameReader {
  constructor({ maxBodyLength = MAX_BODY_LENGTH } = {}) {
    this.maxBodyLength = maxBodyLength;
    this.buffered = new Uint8Array(0);
  }

  /** Adds bytes; returns the frames they complete, in order. */
  push(chunk) {
    const incoming = asBytes(chunk);
    const joined = new Uint8Array(this.buffered.length + incoming.length);
    joined.set(this.buffered);
    joined.set(incoming, this.buffered.length);
    const frames = [];
    let offset = 0;
    for (;;) {
      const header = decodeHeader(joined.subarray(offset), { maxBodyLength: this.maxBodyLength });
      if (header === null) {
        break;
      }
      const end = offset + HEADER_LENGTH + header.bodyLength;
      if (end > joined.length) {
        break;
      }
      frames.push(decodeBody(header, joined.subarray(offset + HEADER_LENGTH, end)));
      offset = end;
    }
    this.buffered = joined.slice(offset);
    return frames;
  }
}

function decodeBody(header, bodyBytes) {
  if (header.serializer !== SERIALIZER_JSON) {
    throw new ProtocolError(`serializer ${header.serializer} is not JSON (1)`);
  }
  let body;
  try {
    body = JSON.parse(decoder.decode(bodyBytes));
  } catch (error) {
    throw new ProtocolError(`the body of ${commandName(header.command)} is not UTF-8 JSON: ${error.message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProtocolError(`the body of ${commandName(header.command)} is not a JSON object`);
  }
  return { version: header.version, serializer: header.serializer, command: header.command,
    name: commandName(header.command), body };
}

function asBytes(bytes) {
  if (bytes instanceof Uint8Array) {
    return bytes;
  }
  if (bytes instanceof ArrayBuffer) {
    return new Uint8Array(bytes);
  }
  if (ArrayBuffer.isView(bytes)) {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  throw new TypeError('expected an ArrayBuffer or a typed array');
}

/** A random clientMsgId (the server deduplicates retries by it, per account). */
export function newClientMsgId() {
  if (globalThis.crypto?.randomUUID) {
    return globalThis.crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** Connection states, in the order a healthy connection goes through them. */
export const State = Object.freeze({
  CONNECTING: 'connecting',
  LOGGING_IN: 'logging-in',
  ONLINE: 'online',
  WAITING: 'waiting', // lost; reconnecting after a delay
  CLOSED: 'closed', // closed on purpose, logged out, or the login was refused
});

const OPEN = 1;

/**
 * A logged-in session over one WebSocket at a time.
 *
 * - `login()` logs in with a password; afterwards every reconnect logs in with the newest resume token and the
 *   highest seq received (`lastSeq`), falling back to the password while it is known (it is kept in memory only).
 * - Every delivery with a `seq` is passed on once: repeats after a resume are dropped by seq. Deliveries are
 *   acknowledged (DeliveryAck) shortly after the listeners ran.
 * - `sendMessage()` keeps a message until its SendAck, sending it again with the same clientMsgId after a
 *   reconnect, so it is stored once.
 * - Requests are matched to replies by command code, oldest first; an ErrorResponse rejects the oldest request
 *   with its `requestCommand`.
 * - A HeartBeatRequest goes out every `heartbeatMs`; a connection silent for `silenceMs` is closed and redialled.
 *
 * Events (`on(name, listener)`): `state` (a State), `packet` (every decoded frame), each packet name
 * (`MessageResponse`, `GroupChanged`, ... with the body), `online` (the LoginResponse, after every login),
 * `error` (an ImError nobody waited for), `session` ({userName, token, lastSeq}, to keep).
 */
export class ImConnection {
  /**
   * @param {string} url the WebSocket address, e.g. `ws://127.0.0.1:8080/ws`
   * @param {object} [options]
   * @param {Function} [options.WebSocket] the WebSocket class (default: the global one)
   * @param {{userName: string, token: string, lastSeq: number}} [options.session] a session saved from `session`
   *   events: `resume()` logs in with it
   */
  constructor(url, options = {}) {
    this.url = url;
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.silenceMs = options.silenceMs ?? 15000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15000;
    this.reconnectMinMs = options.reconnectMinMs ?? 500;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 10000;
    this.random = options.random ?? Math.random;
    this.maxOutbox = options.maxOutbox ?? 200;
    this.ackDelayMs = options.ackDelayMs ?? 20;
    this.listeners = new Map();
    this.pending = [];
    this.outbox = new Map(); // clientMsgId -> {command, body, resolve, reject, sent}
    this.state = State.CLOSED;
    this.socket = null;
    this.timers = { heartbeat: null, silence: null, reconnect: null, ack: null };
    this.reconnectDelay = this.reconnectMinMs;
    const saved = options.session;
    this.userName = saved?.userName ?? null;
    this.token = saved?.token ?? null;
    this.lastSeq = Number.isInteger(saved?.lastSeq) ? saved.lastSeq : null;
    this.ackedSeq = this.lastSeq ?? 0;
    this.password = null;
    this.me = null;
    this.loginWaiter = null;
  }

  /** Adds a listener; returns a function that removes it. */
  on(event, listener) {
    if (!this.listeners.has(event)) {
      this.listeners.set(event, new Set());
    }
    this.listeners.get(event).add(listener);
    return () => this.listeners.get(event)?.delete(listener);
  }

  /** Logs in with a password (registering the name if registration is open); resolves with the LoginResponse. */
  login(userName, password) {
    if (this.userName !== userName) {
      this.lastSeq = null; // another account's seqs mean nothing here
      this.ackedSeq = 0;
      this.token = null;
    }
    this.userName = userName;
    this.password = password;
    return this.start();
  }

  /** Logs in with the saved session's token; resolves with the LoginResponse, rejects if there is no token. */
  resume() {
    if (!this.userName || !this.token) {
      return Promise.reject(new ImError('LOGIN_FAILED', 'no saved session'));
    }
    return this.start();
  }

  /** The logged-in user ({userId, userName}), or null. */
  get user() {
    return this.me;
  }

  /** Sends a packet that gets no reply on success (TypingRequest, DeliveryAck). False if not online. */
  post(command, body = {}) {
    if (this.state !== State.ONLINE) {
      return false;
    }
    return this.write(command, body);
  }

  /**
   * Sends a request and resolves with its reply's body (rejects with ImError if refused, ConnectionLostError if the
   * connection drops first, or an Error on timeout). Only while online.
   */
  request(command, body = {}) {
    if (this.state !== State.ONLINE) {
      return Promise.reject(new ConnectionLostError('not connected'));
    }
    return this.expect(command, body);
  }

  /**
   * Sends a direct or group message and resolves with its SendAck once it is stored, however many reconnects that
   * takes. `target` is one of `{toUserId}`, `{toUserName}` or `{toGroupId}`.
   */
  sendMessage(target, message, clientMsgId = newClientMsgId()) {
    if (this.outbox.size >= this.maxOutbox) {
      return Promise.reject(new ImError('OUTBOX_FULL', `${this.maxOutbox} messages are waiting for the server`));
    }
    const command = target.toGroupId ? Command.GroupMessageRequest : Command.MessageRequest;
    const body = target.toGroupId
      ? { toGroupId: target.toGroupId, message, clientMsgId }
      : { toUserId: target.toUserId, toUserName: target.toUserName, message, clientMsgId };
    return new Promise((resolve, reject) => {
      this.outbox.set(clientMsgId, { command, body, resolve, reject });
      if (this.state === State.ONLINE) {
        this.write(command, body);
      }
    });
  }

  /** Messages sent but not yet acknowledged by the server. */
  get unacknowledged() {
    return this.outbox.size;
  }

  /** Logs out (revoking this login's token), then closes. */
  async logout() {
    try {
      if (this.state === State.ONLINE) {
        await this.expect(Command.LogoutRequest, {});
      }
    } finally {
      this.token = null;
      this.password = null;
      this.emitSession();
      this.close();
    }
  }

  /** Closes the connection and stops reconnecting; unsent messages are rejected. */
  close() {
    this.setState(State.CLOSED);
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000);
    }
    this.failPending(new ConnectionLostError('closed'));
    for (const entry of this.outbox.values()) {
      entry.reject(new ConnectionLostError('closed before the server stored it'));
    }
    this.outbox.clear();
    this.rejectLogin(new ConnectionLostError('closed'));
  }

  // ---- internals ----

  start() {
    const waiter = new Promise((resolve, reject) => {
      this.rejectLogin(new ConnectionLostError('replaced by another login'));
      this.loginWaiter = { resolve, reject };
    });
    clearTimeout(this.timers.reconnect);
    if (this.socket && this.socket.readyState === OPEN) {
      this.sendLogin();
    } else if (!this.socket) {
      this.dial();
    }
    return waiter;
  }

  dial() {
    this.timers.reconnect = null;
    this.setState(State.CONNECTING);
    let socket;
    try {
      socket = new this.WebSocket(this.url);
    } catch (error) {
      this.lost();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      this.reconnectDelay = this.reconnectMinMs;
      this.heard();
      this.timers.heartbeat = setInterval(() => this.write(Command.HeartBeatRequest, {}), this.heartbeatMs);
      this.sendLogin();
    };
    socket.onmessage = (event) => this.received(event.data);
    socket.onclose = () => this.lost();
    socket.onerror = () => {}; // a close event follows
  }

  sendLogin() {
    this.setState(State.LOGGING_IN);
    const useToken = this.token !== null;
    const body = useToken
      ? { userName: this.userName, token: this.token, lastSeq: this.lastSeq ?? undefined }
      : { userName: this.userName, password: this.password, lastSeq: this.lastSeq ?? undefined };
    this.expect(Command.LoginRequest, body).then(
      (response) => this.loggedIn(response),
      (error) => this.loginFailed(error, useToken));
  }

  loggedIn(response) {
    this.token = response.token ?? null;
    this.me = { userId: response.userId, userName: response.userName };
    this.emitSession();
    this.setState(State.ONLINE);
    for (const entry of this.outbox.values()) {
      this.write(entry.command, entry.body);
    }
    const waiter = this.loginWaiter;
    this.loginWaiter = null;
    this.emit('online', response);
    waiter?.resolve(response);
  }

  loginFailed(error, usedToken) {
    if (error instanceof ConnectionLostError) {
      return; // the reconnect logs in again
    }
    if (usedToken && this.password !== null && error instanceof ImError) {
      this.token = null;
      this.sendLogin();
      return;
    }
    this.token = null;
    this.emitSession();
    const waiter = this.loginWaiter;
    this.loginWaiter = null;
    this.close();
    waiter?.reject(error);
  }

  received(data) {
    this.heard();
    let frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      this.emit('error', error);
      this.socket?.close(1002);
      return;
    }
    const { command, body } = frame;
    this.emit('packet', frame);
    if (command === Command.ErrorResponse) {
      const index = this.pending.findIndex((p) => p.command === body.requestCommand);
      const error = new ImError(body.code, body.reason, body.requestCommand);
      if (index >= 0) {
        this.settle(index).reject(error);
      } else {
        this.failOutboxFor(body.requestCommand, error);
      }
      return;
    }
    if (command === Command.SendAck) {
      const entry = this.outbox.get(body.clientMsgId);
      if (entry) {
        this.outbox.delete(body.clientMsgId);
        entry.resolve(body);
      }
      return;
    }
    if (command === Command.LoginResponse && !body.success) {
      const index = this.pending.findIndex((p) => p.reply === command);
      if (index >= 0) {
        this.settle(index).reject(new ImError('LOGIN_FAILED', body.reason, Command.LoginRequest));
      }
      return;
    }
    const index = this.pending.findIndex((p) => p.reply === command
      && (command !== Command.GroupChangeResponse || p.command === body.requestCommand));
    if (index >= 0) {
      this.settle(index).resolve(body);
      if (command !== Command.CreateGroupResponse) {
        return; // a CreateGroupResponse is also the notice members get: the app wants it either way
      }
    }
    if (Number.isInteger(body.seq) && body.seq > 0) {
      if (this.lastSeq !== null && body.seq <= this.lastSeq) {
        return; // delivered again after a resume
      }
      this.lastSeq = body.seq;
      this.emit(frame.name, body);
      this.scheduleAck();
      return;
    }
    this.emit(frame.name, body);
  }

  failOutboxFor(requestCommand, error) {
    // A refused message (NO_SUCH_USER, MUTED, ...) gets an ErrorResponse instead of a SendAck: fail the oldest one
    // of that kind that was sent, since the server answers one connection's messages in order.
    for (const [clientMsgId, entry] of this.outbox) {
      if (entry.command === requestCommand) {
        this.outbox.delete(clientMsgId);
        entry.reject(error);
        return;
      }
    }
    this.emit('error', error);
  }

  expect(command, body) {
    const reply = replyTo(command);
    return new Promise((resolve, reject) => {
      const entry = { command, reply, resolve, reject, timer: null };
      entry.timer = setTimeout(() => {
        const index = this.pending.indexOf(entry);
        if (index >= 0) {
          this.settle(index).reject(new Error(`no answer to ${commandName(command)} within ${this.requestTimeoutMs} ms`));
        }
      }, this.requestTimeoutMs);
      this.pending.push(entry);
      if (!this.write(command, body)) {
        this.settle(this.pending.indexOf(entry)).reject(new ConnectionLostError('not connected'));
      }
    });
  }

  settle(index) {
    const [entry] = this.pending.splice(index, 1);
    clearTimeout(entry.timer);
    return entry;
  }

  write(command, body) {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return false;
    }
    socket.send(encodeFrame(command, body));
    return true;
  }

  scheduleAck() {
    if (this.timers.ack !== null) {
      return;
    }
    this.timers.ack = setTimeout(() => {
      this.timers.ack = null;
      if (this.lastSeq !== null && this.lastSeq > this.ackedSeq && this.write(Command.DeliveryAck, { seq: this.lastSeq })) {
        this.ackedSeq = this.lastSeq;
      }
      this.emitSession();
    }, this.ackDelayMs);
  }

  heard() {
    clearTimeout(this.timers.silence);
    this.timers.silence = setTimeout(() => this.socket?.close(4000), this.silenceMs);
  }

  lost() {
    const socket = this.socket;
    if (socket) {
      detach(socket);
    }
    this.socket = null;
    this.clearTimers();
    this.failPending(new ConnectionLostError());
    if (this.state === State.CLOSED) {
      return;
    }
    this.setState(State.WAITING);
    // Half the backoff plus a random part of the other half: the pages a server restart dropped together do not
    // all redial, and log in, in the same instant, nor again in step at each doubling.
    const delay = Math.round(this.reconnectDelay / 2 + this.random() * (this.reconnectDelay / 2));
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.reconnectMaxMs);
    this.timers.reconnect = setTimeout(() => this.dial(), delay);
  }

  failPending(error) {
    const pending = this.pending;
    this.pending = [];
    for (const entry of pending) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  rejectLogin(error) {
    const waiter = this.loginWaiter;
    this.loginWaiter = null;
    waiter?.reject(error);
  }

  clearTimers() {
    clearInterval(this.timers.heartbeat);
    clearTimeout(this.timers.silence);
    clearTimeout(this.timers.reconnect);
    clearTimeout(this.timers.ack);
    this.timers = { heartbeat: null, silence: null, reconnect: null, ack: null };
  }

  setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.emit('state', state);
    }
  }

  emitSession() {
    this.emit('session', { userName: this.userName, token: this.token, lastSeq: this.lastSeq });
  }

  emit(event, value) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(value);
      } catch (error) {
        if (event !== 'error') {
          this.emit('error', error);
        }
      }
    }
  }
}

function detach(socket) {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}

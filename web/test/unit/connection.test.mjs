// ImConnection against a scripted WebSocket, on fake time: login, resume, acks, dedupe, retries, errors, heartbeats.

import { test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import {
  Command, ConnectionLostError, ImConnection, ImError, State, decodeFrame, encodeFrame,
} from '../../public/js/protocol.js';

/** A WebSocket the test drives: it records frames sent and is opened, fed and closed by hand. */
class FakeSocket {
  static all = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }

  static get last() {
    return FakeSocket.all[FakeSocket.all.length - 1];
  }

  send(bytes) {
    this.sent.push(decodeFrame(bytes));
  }

  close(code) {
    if (this.readyState === 3) {
      return;
    }
    this.readyState = 3;
    this.closedWith = code;
    this.onclose?.({ code });
  }

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  deliver(command, body) {
    this.onmessage?.({ data: encodeFrame(command, body).buffer });
  }

  /** Frames sent with this command code, bodies only. */
  bodies(command) {
    return this.sent.filter((frame) => frame.command === command).map((frame) => frame.body);
  }

  /** The server's side of the network going away. */
  drop() {
    this.close(1006);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

let connection;
let sessions;

beforeEach(() => {
  FakeSocket.all = [];
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  // random: 1 puts each redial at the end of its window, the whole backoff (Math.random stays below it).
  connection = new ImConnection('ws://test/ws', { WebSocket: FakeSocket, random: () => 1 });
  sessions = [];
  connection.on('session', (session) => sessions.push(session));
});

afterEach(() => {
  connection.close();
  mock.timers.reset();
});

async function loggedIn(token = 't1') {
  const login = connection.login('alice', 'pw');
  FakeSocket.last.open();
  assert.deepEqual(FakeSocket.last.bodies(Command.LoginRequest).at(-1), { userName: 'alice', password: 'pw' });
  FakeSocket.last.deliver(Command.LoginResponse, { success: true, userId: 'U1', userName: 'alice', token });
  return login;
}

test('a password login goes online and hands out the session to keep', async () => {
  const states = [];
  connection.on('state', (state) => states.push(state));
  const response = await loggedIn();
  assert.equal(response.userId, 'U1');
  assert.equal(connection.state, State.ONLINE);
  assert.deepEqual(connection.user, { userId: 'U1', userName: 'alice' });
  assert.deepEqual(states, [State.CONNECTING, State.LOGGING_IN, State.ONLINE]);
  assert.deepEqual(sessions.at(-1), { userName: 'alice', token: 't1', lastSeq: null });
});

test('a refused login rejects with the reason and stops', async () => {
  const login = connection.login('alice', 'wrong');
  FakeSocket.last.open();
  FakeSocket.last.deliver(Command.LoginResponse, { success: false, reason: 'wrong user name or password' });
  await assert.rejects(login, (error) => error instanceof ImError && error.code === 'LOGIN_FAILED'
    && error.message === 'wrong user name or password');
  assert.equal(connection.state, State.CLOSED);
  mock.timers.tick(60000);
  assert.equal(FakeSocket.all.length, 1, 'no reconnect after a refusal');
});

test('deliveries are passed on once by seq and acknowledged together', async () => {
  await loggedIn();
  const seen = [];
  connection.on('MessageResponse', (body) => seen.push(body.seq));
  connection.on('GroupChanged', (body) => seen.push(`event ${body.seq}`));
  const socket = FakeSocket.last;
  socket.deliver(Command.MessageResponse, { seq: 1, messageId: 10, message: 'a' });
  socket.deliver(Command.GroupChanged, { seq: 2, messageId: 11, event: 'renamed' });
  socket.deliver(Command.MessageResponse, { seq: 2, messageId: 11, message: 'again' }); // a repeat
  socket.deliver(Command.MessageResponse, { seq: 3, messageId: 12, message: 'c' });
  assert.deepEqual(seen, [1, 'event 2', 3]);
  assert.deepEqual(socket.bodies(Command.DeliveryAck), [], 'acks wait a moment to cover a burst');
  mock.timers.tick(20);
  assert.deepEqual(socket.bodies(Command.DeliveryAck), [{ seq: 3 }]);
  assert.equal(sessions.at(-1).lastSeq, 3);
  mock.timers.tick(1000);
  assert.deepEqual(socket.bodies(Command.DeliveryAck), [{ seq: 3 }], 'nothing new, no ack');
});

test('after a drop it redials with backoff and resumes with the newest token and lastSeq', async () => {
  await loggedIn('t1');
  FakeSocket.last.deliver(Command.MessageResponse, { seq: 5, messageId: 50 });
  mock.timers.tick(20);
  FakeSocket.last.drop();
  assert.equal(connection.state, State.WAITING);
  mock.timers.tick(499);
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, 2, 'redialled after 500 ms');
  FakeSocket.last.drop(); // refused again: the next try waits longer
  mock.timers.tick(999);
  assert.equal(FakeSocket.all.length, 2);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, 3, 'then after 1 s');

  const onlineAgain = new Promise((resolve) => connection.on('online', resolve));
  FakeSocket.last.open();
  assert.deepEqual(FakeSocket.last.bodies(Command.LoginRequest), [{ userName: 'alice', token: 't1', lastSeq: 5 }]);
  FakeSocket.last.deliver(Command.LoginResponse, { success: true, userId: 'U1', userName: 'alice', token: 't2' });
  await onlineAgain;
  assert.equal(sessions.at(-1).token, 't2');
  // the resend of seq 5 is dropped, seq 6 is new
  const seen = [];
  connection.on('MessageResponse', (body) => seen.push(body.seq));
  FakeSocket.last.deliver(Command.MessageResponse, { seq: 5, messageId: 50 });
  FakeSocket.last.deliver(Command.MessageResponse, { seq: 6, messageId: 60 });
  assert.deepEqual(seen, [6]);
});

test('redials are spread over the second half of each backoff, so pages dropped together come back apart', async () => {
  const early = new ImConnection('ws://test/ws', { WebSocket: FakeSocket, random: () => 0 });
  const middle = new ImConnection('ws://test/ws', { WebSocket: FakeSocket, random: () => 0.5 });
  let now = 0; // mock.timers does not move Date: count the milliseconds ticked
  const advance = (ms) => { for (let i = 0; i < ms; i++) { now++; mock.timers.tick(1); } };
  const dials = [];
  for (const [name, page] of [['early', early], ['middle', middle]]) {
    page.on('state', (state) => { if (state === State.CONNECTING) dials.push(`${name} ${now}`); });
  }
  try {
    const firstLogins = [early.login('ann', 'pw'), middle.login('bob', 'pw')];
    const [earlySocket, middleSocket] = FakeSocket.all.slice(-2);
    for (const [socket, name] of [[earlySocket, 'ann'], [middleSocket, 'bob']]) {
      socket.open();
      socket.deliver(Command.LoginResponse, { success: true, userId: name, userName: name, token: name });
    }
    await Promise.all(firstLogins);
    dials.length = 0;
    earlySocket.drop(); // a server restart drops both at once
    middleSocket.drop();
    advance(1000); // both redial and are refused again, at 1 s
    FakeSocket.all.slice(-2).forEach((socket) => socket.drop());
    advance(1000);
    assert.deepEqual(dials, ['early 250', 'middle 375', 'early 1500', 'middle 1750'],
      'half of 500 ms, then half of 1 s, plus the random part of the other half');
  } finally {
    early.close();
    middle.close();
  }
});

test('a saved session resumes by token; a rejected token falls back to nothing without a password', async () => {
  connection = new ImConnection('ws://test/ws', { WebSocket: FakeSocket,
    session: { userName: 'alice', token: 'old', lastSeq: 9 } });
  const resumed = connection.resume();
  FakeSocket.last.open();
  assert.deepEqual(FakeSocket.last.bodies(Command.LoginRequest), [{ userName: 'alice', token: 'old', lastSeq: 9 }]);
  FakeSocket.last.deliver(Command.LoginResponse, { success: false, reason: 'invalid or expired token' });
  await assert.rejects(resumed, /invalid or expired token/);
  assert.equal(connection.state, State.CLOSED);
});

test('a rejected token on reconnect falls back to the password typed in this page', async () => {
  await loggedIn('t1');
  FakeSocket.last.drop();
  mock.timers.tick(500);
  FakeSocket.last.open();
  FakeSocket.last.deliver(Command.LoginResponse, { success: false, reason: 'invalid or expired token' });
  await settle();
  assert.deepEqual(FakeSocket.last.bodies(Command.LoginRequest), [
    { userName: 'alice', token: 't1' }, { userName: 'alice', password: 'pw' }]);
});

test('a message waiting for its SendAck is sent again after a reconnect with the same clientMsgId', async () => {
  await loggedIn();
  const sent = connection.sendMessage({ toUserName: 'bob' }, 'hello', 'c-1');
  assert.deepEqual(FakeSocket.last.bodies(Command.MessageRequest),
    [{ toUserName: 'bob', message: 'hello', clientMsgId: 'c-1' }]);
  FakeSocket.last.drop();
  const queued = connection.sendMessage({ toGroupId: 'G1' }, 'while away', 'c-2');
  assert.equal(connection.unacknowledged, 2);
  mock.timers.tick(500);
  FakeSocket.last.open();
  FakeSocket.last.deliver(Command.LoginResponse, { success: true, userId: 'U1', userName: 'alice', token: 't2' });
  await settle();
  assert.deepEqual(FakeSocket.last.bodies(Command.MessageRequest),
    [{ toUserName: 'bob', message: 'hello', clientMsgId: 'c-1' }]);
  assert.deepEqual(FakeSocket.last.bodies(Command.GroupMessageRequest),
    [{ toGroupId: 'G1', message: 'while away', clientMsgId: 'c-2' }]);
  FakeSocket.last.deliver(Command.SendAck, { clientMsgId: 'c-2', messageId: 8, timestamp: 1 });
  FakeSocket.last.deliver(Command.SendAck, { clientMsgId: 'c-1', messageId: 7, timestamp: 1 });
  assert.deepEqual(await sent, { clientMsgId: 'c-1', messageId: 7, timestamp: 1 });
  assert.equal((await queued).messageId, 8);
  assert.equal(connection.unacknowledged, 0);
});

test('a refused message rejects with the server code; the next one is unaffected', async () => {
  await loggedIn();
  const refused = connection.sendMessage({ toUserName: 'ghost' }, 'boo', 'c-1');
  const fine = connection.sendMessage({ toUserName: 'bob' }, 'hi', 'c-2');
  FakeSocket.last.deliver(Command.ErrorResponse,
    { requestCommand: Command.MessageRequest, code: 'NO_SUCH_USER', reason: 'no user named ghost' });
  FakeSocket.last.deliver(Command.SendAck, { clientMsgId: 'c-2', messageId: 3, timestamp: 1 });
  await assert.rejects(refused, (error) => error.code === 'NO_SUCH_USER' && error.message === 'no user named ghost');
  assert.equal((await fine).messageId, 3);
});

test('replies settle the oldest request waiting for them; an error the one it names', async () => {
  await loggedIn();
  const history = connection.request(Command.HistoryRequest, { peerName: 'bob' });
  const groups = connection.request(Command.MyGroupsRequest);
  const rename = connection.request(Command.RenameGroupRequest, { groupId: 'G', groupName: 'x' });
  const kick = connection.request(Command.KickGroupMemberRequest, { groupId: 'G', userName: 'y' });
  const socket = FakeSocket.last;
  socket.deliver(Command.MyGroupsResponse, { groups: [] });
  socket.deliver(Command.GroupChangeResponse, { requestCommand: Command.KickGroupMemberRequest, changed: true });
  socket.deliver(Command.ErrorResponse, { requestCommand: Command.HistoryRequest, code: 'NO_SUCH_USER', reason: 'no' });
  socket.deliver(Command.GroupChangeResponse, { requestCommand: Command.RenameGroupRequest, changed: false });
  assert.deepEqual(await groups, { groups: [] });
  assert.equal((await kick).changed, true);
  assert.equal((await rename).changed, false);
  await assert.rejects(history, (error) => error.code === 'NO_SUCH_USER');
});

test('requests fail fast offline, and those in flight fail when the connection drops', async () => {
  await assert.rejects(connection.request(Command.MyGroupsRequest), ConnectionLostError);
  await loggedIn();
  const waiting = connection.request(Command.ConversationsRequest, {});
  FakeSocket.last.drop();
  await assert.rejects(waiting, ConnectionLostError);
  assert.equal(connection.post(Command.TypingRequest, { toUserName: 'bob' }), false);
});

test('an unanswered request times out', async () => {
  connection = new ImConnection('ws://test/ws', { WebSocket: FakeSocket, requestTimeoutMs: 3000 });
  await loggedIn();
  const waiting = connection.request(Command.MyGroupsRequest);
  mock.timers.tick(3000);
  await assert.rejects(waiting, /no answer to MyGroupsRequest within 3000 ms/);
  assert.equal(connection.state, State.ONLINE, 'a slow answer is not a lost connection');
});

test('heartbeats every 5 s; a connection silent for 15 s is closed and redialled', async () => {
  await loggedIn();
  const socket = FakeSocket.last;
  mock.timers.tick(10000);
  assert.equal(socket.bodies(Command.HeartBeatRequest).length, 2);
  socket.deliver(Command.HeartBeatResponse, {});
  mock.timers.tick(14999);
  assert.equal(socket.readyState, 1);
  mock.timers.tick(1);
  assert.equal(socket.closedWith, 4000);
  assert.equal(connection.state, State.WAITING);
  mock.timers.tick(500);
  assert.equal(FakeSocket.all.length, 2);
});

test('a frame that does not decode closes the socket with 1002 and reports it', async () => {
  await loggedIn();
  const errors = [];
  connection.on('error', (error) => errors.push(error.name));
  FakeSocket.last.onmessage({ data: new Uint8Array([1, 2, 3]).buffer });
  assert.equal(FakeSocket.all[0].closedWith, 1002);
  assert.deepEqual(errors, ['ProtocolError']);
});

test('a listener that throws does not stop the others or the connection', async () => {
  await loggedIn();
  const errors = [];
  const seen = [];
  connection.on('error', (error) => errors.push(error.message));
  connection.on('MessageResponse', () => {
    throw new Error('listener bug');
  });
  connection.on('MessageResponse', (body) => seen.push(body.seq));
  FakeSocket.last.deliver(Command.MessageResponse, { seq: 1, messageId: 1 });
  assert.deepEqual(seen, [1]);
  assert.deepEqual(errors, ['listener bug']);
  await settle();
});

test('logout revokes and closes; nothing redials', async () => {
  await loggedIn();
  const out = connection.logout();
  FakeSocket.last.deliver(Command.LogoutResponse, { success: true });
  await out;
  assert.equal(connection.state, State.CLOSED);
  assert.equal(sessions.at(-1).token, null);
  mock.timers.tick(60000);
  assert.equal(FakeSocket.all.length, 1);
});

test('the outbox is bounded', async () => {
  connection = new ImConnection('ws://test/ws', { WebSocket: FakeSocket, maxOutbox: 2 });
  connection.sendMessage({ toUserName: 'bob' }, '1').catch(() => {});
  connection.sendMessage({ toUserName: 'bob' }, '2').catch(() => {});
  await assert.rejects(connection.sendMessage({ toUserName: 'bob' }, '3'), (error) => error.code === 'OUTBOX_FULL');
});

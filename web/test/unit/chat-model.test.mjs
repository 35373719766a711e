// The web client's model, fed packets as the server sends them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatModel, describeEvent, directKey, groupKey } from '../../public/js/chat-model.js';

const me = { userId: 'A', userName: 'alice' };
const bob = { userId: 'B', userName: 'bob' };

function model(now = 1000) {
  let clock = now;
  const m = new ChatModel(me, () => clock);
  m.advance = (ms) => {
    clock += ms;
  };
  return m;
}

const direct = (messageId, text, from = bob) => ({ fromUserId: from.userId, fromUserName: from.userName,
  message: text, messageId, seq: messageId, timestamp: messageId * 10 });

test('messages from others count as unread until read; reading returns the position to mark', () => {
  const m = model();
  m.apply('MessageResponse', direct(5, 'one'));
  m.apply('MessageResponse', direct(6, 'two'));
  const conversation = m.conversations.get(directKey('B'));
  assert.equal(conversation.title, 'bob');
  assert.equal(conversation.unread, 2);
  assert.equal(m.unreadTotal, 2);
  assert.equal(m.read(directKey('B')), 6);
  assert.equal(conversation.unread, 0);
  assert.equal(m.read(directKey('B')), 0, 'nothing new to mark');
});

test('the same message twice (history and live) is one message and one unread', () => {
  const m = model();
  m.loadConversations([{ peerId: 'B', peerName: 'bob', readUpTo: 0, unreadCount: 1,
    lastMessage: { messageId: 5, fromUserId: 'B', fromUserName: 'bob', message: 'one', timestamp: 50 } }], true);
  m.apply('MessageResponse', direct(5, 'one'));
  const conversation = m.conversations.get(directKey('B'));
  assert.equal(conversation.messages.size, 1);
  assert.equal(conversation.unread, 1);
});

test('a message being sent is shown at once and takes its id from the SendAck', () => {
  const m = model();
  m.conversation(directKey('B'), { peerId: 'B', peerName: 'bob' });
  m.sending(directKey('B'), 'c1', 'hi');
  const conversation = m.conversations.get(directKey('B'));
  assert.equal(conversation.ordered[0].pending, true);
  m.confirmed(directKey('B'), 'c1', { clientMsgId: 'c1', messageId: 9, timestamp: 90 });
  assert.deepEqual(conversation.ordered.map((x) => [x.messageId, x.text, x.pending]), [[9, 'hi', false]]);
  assert.equal(conversation.unread, 0);
});

test('the own copy of a group message arriving before its SendAck leaves one message', () => {
  const m = model();
  m.conversation(groupKey('G'), { groupId: 'G', groupName: 'Trio' });
  m.sending(groupKey('G'), 'c1', 'hello group');
  m.apply('GroupMessageResponse', { fromGroupId: 'G', fromUser: me, message: 'hello group', messageId: 4, seq: 2 });
  m.confirmed(groupKey('G'), 'c1', { clientMsgId: 'c1', messageId: 4, timestamp: 40 });
  const conversation = m.conversations.get(groupKey('G'));
  assert.deepEqual(conversation.ordered.map((x) => x.messageId), [4]);
  assert.equal(conversation.unread, 0, 'one’s own message is never unread');
});

test('messages are in id order whatever order pages arrive in; sending ones come last', () => {
  const m = model();
  const key = directKey('B');
  m.conversation(key, { peerId: 'B', peerName: 'bob' });
  m.sending(key, 'c1', 'pending');
  m.loadHistory(key, { peerId: 'B', messages: [{ messageId: 8, message: 'eight' }, { messageId: 7, message: 'seven' }],
    more: true }, true);
  m.loadHistory(key, { peerId: 'B', messages: [{ messageId: 3, message: 'three' }], more: false }, false);
  const conversation = m.conversations.get(key);
  assert.deepEqual(conversation.ordered.map((x) => x.text), ['three', 'seven', 'eight', 'pending']);
  assert.equal(conversation.oldestId, 3);
  assert.equal(conversation.more, false);
});

test('an edit changes the text; a recall wins over any edit, also one that comes later from history', () => {
  const m = model();
  m.apply('MessageResponse', direct(5, 'orginal'));
  m.apply('MessageEdited', { messageId: 5, peerId: 'B', message: 'original', editedAt: 60, seq: 6 });
  const conversation = m.conversations.get(directKey('B'));
  assert.equal(conversation.messages.get(5).text, 'original');
  assert.equal(conversation.messages.get(5).editedAt, 60);
  m.apply('MessageRecalled', { messageId: 5, peerId: 'B', recalledAt: 70, seq: 7 });
  m.loadHistory(directKey('B'), { peerId: 'B', messages: [{ messageId: 5, message: 'original', editedAt: 60 }] }, true);
  assert.equal(conversation.messages.get(5).recalled, true);
  assert.equal(conversation.messages.get(5).text, '');
  m.apply('MessageEdited', { messageId: 5, peerId: 'B', message: 'too late', editedAt: 80, seq: 8 });
  assert.equal(conversation.messages.get(5).recalled, true);
});

test('a read position from another device of mine clears what it covers; the peer’s marks my messages', () => {
  const m = model();
  m.apply('MessageResponse', direct(5, 'a'));
  m.apply('MessageResponse', direct(6, 'b'));
  m.apply('MessageResponse', direct(7, 'c'));
  m.apply('ReadPositionChanged', { peerId: 'B', userId: 'A', userName: 'alice', readUpTo: 6, seq: 8 });
  const conversation = m.conversations.get(directKey('B'));
  assert.equal(conversation.unread, 1);
  m.apply('ReadPositionChanged', { peerId: 'B', userId: 'A', userName: 'alice', readUpTo: 5, seq: 9 });
  assert.equal(conversation.readUpTo, 6, 'never backwards');
  m.apply('ReadPositionChanged', { peerId: 'B', userId: 'B', userName: 'bob', readUpTo: 40, seq: 10 });
  assert.equal(conversation.peerReadUpTo, 40);
  assert.equal(conversation.unread, 1);
});

test('a history page brings the peer’s read position, which never moves backwards', () => {
  const m = model();
  const key = directKey('B');
  m.conversation(key, { peerId: 'B', peerName: 'bob' });
  m.loadHistory(key, { peerId: 'B', messages: [{ messageId: 8, message: 'eight' }], more: false,
    peerReadUpTo: 8 }, true);
  const conversation = m.conversations.get(key);
  assert.equal(conversation.peerReadUpTo, 8);
  m.loadHistory(key, { peerId: 'B', messages: [], more: false, peerReadUpTo: 3 }, false);
  assert.equal(conversation.peerReadUpTo, 8, 'an older page read earlier does not unmark');
  m.loadHistory(key, { peerId: 'B', messages: [], more: false }, false);
  assert.equal(conversation.peerReadUpTo, 8);
});

test('group events are lines in the conversation; being kicked takes the group off the list', () => {
  const m = model();
  m.apply('GroupChanged', { groupId: 'G', event: 'created', by: bob, groupName: 'Trio', messageId: 1, seq: 1 });
  m.apply('GroupChanged', { groupId: 'G', event: 'renamed', by: bob, groupName: 'Duo', messageId: 2, seq: 2 });
  const conversation = m.conversations.get(groupKey('G'));
  assert.equal(conversation.title, 'Duo');
  assert.deepEqual(conversation.ordered.map((x) => x.event),
    ['bob created the group “Trio”', 'bob renamed the group to “Duo”']);
  assert.equal(conversation.unread, 0, 'events are never unread');
  assert.equal(conversation.lastMessage, null, 'nor a last message');
  m.apply('GroupChanged', { groupId: 'G', event: 'kicked', by: bob, user: me, messageId: 3, seq: 3 });
  assert.deepEqual(m.list.map((c) => c.key), []);
});

test('the list puts the latest activity first', () => {
  const m = model();
  m.loadConversations([{ peerId: 'B', peerName: 'bob' }, { groupId: 'G' }, { peerId: 'C', peerName: 'carol' }], true);
  assert.deepEqual(m.list.map((c) => c.key), ['u:B', 'g:G', 'u:C']);
  m.apply('MessageResponse', direct(9, 'hi', { userId: 'C', userName: 'carol' }));
  assert.deepEqual(m.list.map((c) => c.key), ['u:C', 'u:B', 'g:G']);
  m.loadConversations([{ peerId: 'D', peerName: 'dan' }], false);
  assert.equal(m.list.at(-1).key, 'u:D', 'a later page goes below');
});

test('typing shows for a few seconds after the last notice', () => {
  const m = model();
  m.apply('TypingNotice', { fromUserId: 'B', fromUserName: 'bob', timestamp: 1 });
  assert.deepEqual(m.typingIn(directKey('B')), ['bob']);
  m.advance(3999);
  assert.deepEqual(m.typingIn(directKey('B')), ['bob']);
  m.advance(1);
  assert.deepEqual(m.typingIn(directKey('B')), []);
  m.apply('TypingNotice', { fromUserId: 'B', fromUserName: 'bob', timestamp: 2 });
  m.apply('MessageResponse', direct(5, 'done typing'));
  assert.deepEqual(m.typingIn(directKey('B')), [], 'a message ends the typing');
});

test('presence comes from queries and changes; unknown stays unknown', () => {
  const m = model();
  m.setPresence([{ userId: 'B', userName: 'bob', online: true }, { userId: 'C', userName: 'carol' }]);
  m.apply('PresenceChanged', { user: { userId: 'B', userName: 'bob', online: false }, timestamp: 1 });
  assert.equal(m.online('B'), false);
  assert.equal(m.online('C'), undefined);
});

test('every event has words', () => {
  for (const event of ['created', 'renamed', 'joined', 'left', 'added', 'kicked', 'promoted', 'demoted', 'muted',
    'unmuted', 'group_muted', 'group_unmuted', 'owner_changed']) {
    assert.doesNotMatch(describeEvent(event, bob, me, 'X'), /:/, event);
  }
  assert.equal(describeEvent('something_new', bob), 'bob: something_new');
});

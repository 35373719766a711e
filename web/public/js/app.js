// The web client: renders the ChatModel and turns clicks and keys into requests. All text from the server goes
// into the page through textContent, never as HTML.

import { Command, ImConnection, ImError, State } from './protocol.js';
import { ChatModel, directKey, groupKey } from './chat-model.js';

const SESSION_KEY = 'switchboard.session';
const PAGE = 30;
const TYPING_EVERY_MS = 2000;

const $ = (id) => document.getElementById(id);

/** The session of this tab: the resume token is single-use, so two tabs sharing one would close each other. */
const savedSession = {
  load() {
    try {
      return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    } catch {
      return null;
    }
  },
  save(session) {
    if (session.token) {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    } else {
      sessionStorage.removeItem(SESSION_KEY);
    }
  },
};

const socketUrl = () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;

let connection = null;
let model = null;
let openKey = null;
let editing = null; // {key, messageId} while the composer edits a message
let lastTypingSent = 0;
let loadingHistory = false;
let toastTimer = null;
const askedPresence = new Set(); // peers whose presence was asked for (PresenceChanged keeps it current)

// ---- start, log in, log out ----

function connect(session) {
  connection = new ImConnection(socketUrl(), { session });
  connection.on('session', (s) => savedSession.save(s));
  connection.on('state', showConnectionState);
  connection.on('online', (response) => online(response).catch(showError));
  connection.on('error', showError);
  for (const name of ['MessageResponse', 'GroupMessageResponse', 'GroupChanged', 'MessageEdited', 'MessageRecalled',
    'ReadPositionChanged', 'TypingNotice', 'PresenceChanged', 'CreateGroupResponse']) {
    connection.on(name, (body) => delivered(name, body));
  }
  return connection;
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = $('login-user').value.trim();
  const password = $('login-password').value;
  $('login-error').textContent = '';
  $('login-submit').disabled = true;
  connection?.close();
  try {
    await connect(null).login(user, password);
    $('login-password').value = '';
  } catch (error) {
    $('login-error').textContent = readable(error);
  } finally {
    $('login-submit').disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  const closing = connection;
  connection = null;
  await closing?.logout().catch(() => {});
  savedSession.save({});
  model = null;
  openKey = null;
  $('chat-view').hidden = true;
  $('login-view').hidden = false;
  document.title = 'Switchboard';
});

async function online(response) {
  const first = model === null || model.me.userId !== response.userId;
  if (first) {
    model = new ChatModel({ userId: response.userId, userName: response.userName });
    askedPresence.clear();
    $('me-name').textContent = response.userName;
    $('login-view').hidden = true;
    $('chat-view').hidden = false;
  }
  // After every login, also a reconnect: the list, names and presence may have changed while away.
  const groups = await connection.request(Command.MyGroupsRequest);
  model.loadGroups(groups.groups ?? []);
  const page = await connection.request(Command.ConversationsRequest, { limit: 100 });
  model.loadConversations(page.conversations ?? [], true);
  await queryPresence();
  if (openKey) {
    await loadNewest(openKey);
  }
  render();
}

async function queryPresence(userIds = model.peerIds) {
  userIds.forEach((id) => askedPresence.add(id));
  if (userIds.length > 0) {
    const answer = await connection.request(Command.PresenceQueryRequest, { userIds });
    model.setPresence(answer.users ?? []);
  }
}

function showConnectionState(state) {
  const banner = $('connection-state');
  const text = { [State.CONNECTING]: 'Connecting…', [State.LOGGING_IN]: 'Logging in…',
    [State.WAITING]: 'Connection lost; reconnecting…' }[state];
  banner.hidden = !text || model === null;
  banner.textContent = text ?? '';
  document.body.classList.toggle('offline', state !== State.ONLINE);
}

// ---- deliveries ----

function delivered(name, body) {
  if (!model) {
    return;
  }
  const key = model.apply(name, body);
  const conversation = key && model.conversations.get(key);
  if (conversation && !conversation.isGroup && !askedPresence.has(conversation.peerId)) {
    askedPresence.add(conversation.peerId); // a conversation new to this page: is its peer online?
    queryPresence([conversation.peerId]).then(render, quietly);
  }
  if (name === 'GroupChanged' && key === openKey && !$('members-panel').hidden) {
    loadMembers().catch(showError);
  }
  if (key && key === openKey) {
    markRead();
  }
  render();
  if (name === 'TypingNotice') {
    setTimeout(renderTyping, 4100); // let the notice expire on screen
  }
}

function markRead() {
  if (!openKey || document.visibilityState !== 'visible') {
    return;
  }
  const conversation = model.conversations.get(openKey);
  const upTo = model.read(openKey);
  if (upTo > 0 && conversation) {
    connection.request(Command.MarkReadRequest, { ...target(conversation), messageId: upTo }).catch(quietly);
  }
}

document.addEventListener('visibilitychange', () => {
  if (model) {
    markRead();
    render();
  }
});

// ---- opening a conversation and its history ----

async function open(key) {
  openKey = key;
  editing = null;
  document.body.classList.add('showing-conversation');
  $('members-panel').hidden = true;
  const conversation = model.conversations.get(key);
  // The history page is asked for first, so that its answer does not wait behind the read mark's write.
  const newest = conversation.historyLoaded ? null : loadNewest(key);
  // Read at once, up to the newest message already known (the list's last one, or one that arrived live): the
  // unread badge goes with the click, not when the history page arrives.
  markRead();
  render();
  if (newest) {
    await newest;
  }
  markRead();
  render();
  scrollToBottom();
  $('composer-input').focus();
}

async function loadNewest(key) {
  const conversation = model.conversations.get(key);
  const response = await connection.request(Command.HistoryRequest, { ...target(conversation), limit: PAGE });
  model.loadHistory(key, response, true);
}

async function loadOlder() {
  const conversation = openKey && model.conversations.get(openKey);
  if (!conversation || !conversation.more || loadingHistory || conversation.oldestId === null) {
    return;
  }
  loadingHistory = true;
  $('history-status').textContent = 'Loading…';
  const box = $('messages');
  const fromBottom = box.scrollHeight - box.scrollTop;
  try {
    const response = await connection.request(Command.HistoryRequest,
      { ...target(conversation), beforeMessageId: conversation.oldestId, limit: PAGE });
    model.loadHistory(conversation.key, response, false);
    render();
    box.scrollTop = box.scrollHeight - fromBottom; // keep what the user was looking at in place
  } finally {
    loadingHistory = false;
  }
}

$('messages').addEventListener('scroll', () => {
  if ($('messages').scrollTop < 60) {
    loadOlder().catch(showError);
  }
});

$('new-chat').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('new-chat-user').value.trim();
  if (!name || !model) {
    return;
  }
  try {
    const response = await connection.request(Command.HistoryRequest, { peerName: name, limit: PAGE });
    const key = directKey(response.peerId);
    model.conversation(key, { peerId: response.peerId, peerName: name });
    model.loadHistory(key, response, true);
    $('new-chat-user').value = '';
    await queryPresence();
    await open(key);
  } catch (error) {
    showError(error);
  }
});

$('back').addEventListener('click', () => {
  document.body.classList.remove('showing-conversation');
  openKey = null;
  render();
});

// ---- sending, editing, recalling, typing ----

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value;
  const conversation = openKey && model.conversations.get(openKey);
  if (!text.trim() || !conversation) {
    return;
  }
  input.value = '';
  if (editing) {
    const { key, messageId } = editing;
    stopEditing();
    connection.request(Command.EditMessageRequest, { ...target(model.conversations.get(key)), messageId,
      message: text }).catch(showError);
    return;
  }
  const destination = conversation.isGroup ? { toGroupId: conversation.groupId } : { toUserId: conversation.peerId };
  const clientMsgId = crypto.randomUUID();
  model.sending(conversation.key, clientMsgId, text);
  connection.sendMessage(destination, text, clientMsgId).then(
    (ack) => model.confirmed(conversation.key, clientMsgId, ack),
    (error) => {
      model.failed(conversation.key, clientMsgId, readable(error));
      showError(error);
    }).finally(render);
  render();
  scrollToBottom();
});

$('composer-input').addEventListener('input', () => {
  const conversation = openKey && model?.conversations.get(openKey);
  const now = Date.now();
  if (!conversation || editing || now - lastTypingSent < TYPING_EVERY_MS) {
    return;
  }
  lastTypingSent = now;
  connection.post(Command.TypingRequest,
    conversation.isGroup ? { groupId: conversation.groupId } : { toUserId: conversation.peerId });
});

$('composer-input').addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && editing) {
    stopEditing();
  }
});

$('edit-cancel').addEventListener('click', stopEditing);

function startEditing(message) {
  editing = { key: openKey, messageId: message.messageId };
  $('edit-banner').hidden = false;
  $('composer-input').value = message.text;
  $('composer-input').focus();
}

function stopEditing() {
  editing = null;
  $('edit-banner').hidden = true;
  $('composer-input').value = '';
}

function recall(message) {
  const conversation = model.conversations.get(openKey);
  connection.request(Command.RecallMessageRequest, { ...target(conversation), messageId: message.messageId })
    .catch(showError);
}

async function showReadCount(message, element) {
  const conversation = model.conversations.get(openKey);
  const answer = await connection.request(Command.ReadCountRequest,
    { groupId: conversation.groupId, messageId: message.messageId });
  element.textContent = `read by ${answer.readCount}`;
}

$('hide-presence').addEventListener('change', (event) => {
  connection.request(Command.PresenceVisibilityRequest, { hidden: event.target.checked }).catch(showError);
});

// ---- groups ----

$('new-group').addEventListener('click', () => $('group-dialog').showModal());
$('group-cancel').addEventListener('click', () => $('group-dialog').close());

$('group-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const groupName = $('group-name').value.trim();
  const userNameList = names($('group-members').value);
  try {
    const response = await connection.request(Command.CreateGroupRequest, { groupName, userNameList });
    if (!response.success) {
      throw new ImError('NOT_CREATED', response.reason);
    }
    $('group-dialog').close();
    $('group-name').value = '';
    $('group-members').value = '';
    model.apply('CreateGroupResponse', response);
    await open(groupKey(response.groupId));
  } catch (error) {
    showError(error);
  }
});

$('join-group').addEventListener('submit', async (event) => {
  event.preventDefault();
  const groupId = $('join-group-id').value.trim();
  try {
    const answer = await connection.request(Command.JoinGroupRequest, { groupId });
    if (!answer.success) {
      throw new ImError('NOT_JOINED', answer.reason);
    }
    $('join-group-id').value = '';
    const groups = await connection.request(Command.MyGroupsRequest);
    model.loadGroups(groups.groups ?? []);
    const key = groupKey(groupId);
    model.conversation(key, { groupId }).left = false;
    await open(key);
  } catch (error) {
    showError(error);
  }
});

$('members-toggle').addEventListener('click', () => {
  const panel = $('members-panel');
  panel.hidden = !panel.hidden;
  if (!panel.hidden) {
    loadMembers().catch(showError);
  }
});
$('members-close').addEventListener('click', () => {
  $('members-panel').hidden = true;
});

async function loadMembers() {
  const conversation = model.conversations.get(openKey);
  if (!conversation?.isGroup) {
    return;
  }
  const info = await connection.request(Command.GroupInfoRequest, { groupId: conversation.groupId });
  model.setPresence(info.members ?? []);
  conversation.groupName = info.groupName;
  renderMembers(conversation, info);
  render();
}

function groupChange(command, body) {
  const conversation = model.conversations.get(openKey);
  return connection.request(command, { groupId: conversation.groupId, ...body })
    .then(() => loadMembers())
    .catch(showError);
}

$('rename-group').addEventListener('submit', (event) => {
  event.preventDefault();
  const groupName = $('rename-input').value.trim();
  if (groupName) {
    $('rename-input').value = '';
    groupChange(Command.RenameGroupRequest, { groupName });
  }
});

$('add-members').addEventListener('submit', (event) => {
  event.preventDefault();
  const userNameList = names($('add-members-input').value);
  if (userNameList.length > 0) {
    $('add-members-input').value = '';
    groupChange(Command.AddGroupMembersRequest, { userNameList });
  }
});

$('mute-group').addEventListener('change', (event) => {
  groupChange(Command.MuteGroupRequest, { muted: event.target.checked });
});

$('leave-group').addEventListener('click', async () => {
  const conversation = model.conversations.get(openKey);
  try {
    const answer = await connection.request(Command.QuitGroupRequest, { groupId: conversation.groupId });
    if (!answer.success) {
      throw new ImError('NOT_LEFT', answer.reason);
    }
    conversation.left = true;
    $('members-panel').hidden = true;
    openKey = null;
    document.body.classList.remove('showing-conversation');
    render();
  } catch (error) {
    showError(error);
  }
});

function renderMembers(conversation, info) {
  $('group-title').textContent = info.groupName;
  $('group-id').textContent = info.groupId;
  $('mute-group').checked = info.muted;
  const mine = info.members.find((m) => m.userId === model.me.userId);
  const myRole = mine?.role ?? 'member';
  const rank = { owner: 3, admin: 2, member: 1 };
  const manage = rank[myRole] >= 2;
  $('rename-group').hidden = !manage;
  $('add-members').hidden = !manage;
  $('mute-group').disabled = !manage;
  const list = $('member-list');
  list.replaceChildren(...info.members.map((member) => {
    const item = element('li', 'member');
    item.dataset.userName = member.userName;
    item.append(dot(member.online), element('span', 'member-name', member.userName),
      element('span', `role role-${member.role}`, member.role));
    if (member.muted) {
      item.append(element('span', 'muted-mark', 'muted'));
    }
    const outranks = rank[myRole] > rank[member.role] && member.userId !== model.me.userId;
    if (outranks) {
      item.append(button('kick', () => groupChange(Command.KickGroupMemberRequest, { userId: member.userId })));
      item.append(button(member.muted ? 'unmute' : 'mute', () => groupChange(Command.MuteGroupMemberRequest,
        { userId: member.userId, muted: !member.muted })));
    }
    if (myRole === 'owner' && member.userId !== model.me.userId) {
      const promote = member.role === 'member';
      item.append(button(promote ? 'make admin' : 'make member', () => groupChange(Command.SetGroupRoleRequest,
        { userId: member.userId, role: promote ? 'admin' : 'member' })));
    }
    return item;
  }));
}

// ---- rendering ----

function render() {
  if (!model) {
    return;
  }
  renderList();
  renderConversation();
  const unread = model.unreadTotal;
  document.title = unread > 0 ? `(${unread}) Switchboard` : 'Switchboard';
}

function renderList() {
  const list = $('conversation-list');
  list.replaceChildren(...model.list.map((conversation) => {
    const item = element('li', 'conversation-item');
    item.dataset.key = conversation.key;
    item.dataset.title = conversation.title;
    item.classList.toggle('active', conversation.key === openKey);
    const online = conversation.isGroup ? undefined : model.online(conversation.peerId);
    const last = conversation.lastMessage;
    const preview = last ? (last.recalled ? 'message recalled' : `${last.fromUserName}: ${last.text}`) : '';
    item.append(conversation.isGroup ? element('span', 'group-mark', '#') : dot(online),
      element('span', 'conversation-name', conversation.title), element('span', 'preview', preview));
    if (conversation.unread > 0) {
      item.append(element('span', 'unread', String(conversation.unread)));
    }
    item.addEventListener('click', () => open(conversation.key).catch(showError));
    return item;
  }));
}

function renderConversation() {
  const conversation = openKey && model.conversations.get(openKey);
  $('composer-input').disabled = !conversation;
  $('send').disabled = !conversation;
  $('members-toggle').hidden = !conversation?.isGroup;
  const presence = $('conversation-presence');
  if (!conversation) {
    $('conversation-title').textContent = 'Pick a conversation';
    presence.className = 'dot';
    $('message-list').replaceChildren();
    $('typing').textContent = '';
    $('history-status').textContent = '';
    return;
  }
  $('conversation-title').textContent = conversation.title;
  presence.className = conversation.isGroup ? 'dot hidden' : dotClass(model.online(conversation.peerId));
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  $('message-list').replaceChildren(...conversation.ordered.map((m) => renderMessage(conversation, m)));
  $('history-status').textContent = conversation.more ? '' : 'Start of the conversation';
  renderTyping();
  if (atBottom) {
    scrollToBottom();
  }
}

function renderMessage(conversation, message) {
  const item = element('li', 'message');
  item.dataset.messageId = String(message.messageId);
  if (message.event) {
    item.classList.add('event');
    item.append(element('span', 'event-text', message.event), element('time', 'time', time(message.timestamp)));
    return item;
  }
  const mine = message.fromUserId === model.me.userId;
  item.classList.toggle('mine', mine);
  item.classList.toggle('pending', message.pending);
  item.classList.toggle('failed', Boolean(message.failed));
  item.classList.toggle('recalled', message.recalled);
  item.classList.toggle('edited', Boolean(message.editedAt));
  const meta = element('div', 'meta');
  meta.append(element('span', 'author', message.fromUserName ?? ''), element('time', 'time', time(message.timestamp)));
  if (message.editedAt && !message.recalled) {
    meta.append(element('span', 'edited-mark', 'edited'));
  }
  if (mine && !message.recalled) {
    meta.append(element('span', 'status', status(conversation, message)));
  }
  item.append(meta, element('div', 'text', message.recalled ? 'message recalled' : message.text));
  if (mine && !message.pending && !message.recalled) {
    const actions = element('div', 'actions');
    actions.append(button('edit', () => startEditing(message)), button('recall', () => recall(message)));
    if (conversation.isGroup) {
      const count = button('read by?', () => showReadCount(message, count).catch(showError));
      actions.append(count);
    }
    item.append(actions);
  }
  return item;
}

function status(conversation, message) {
  if (message.failed) {
    return `not sent: ${message.failed}`;
  }
  if (message.pending) {
    return 'sending…';
  }
  if (!conversation.isGroup && conversation.peerReadUpTo >= message.messageId) {
    return 'read';
  }
  return 'sent';
}

function renderTyping() {
  if (!model || !openKey) {
    $('typing').textContent = '';
    return;
  }
  const who = model.typingIn(openKey);
  $('typing').textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
}

function scrollToBottom() {
  const box = $('messages');
  box.scrollTop = box.scrollHeight;
}

// ---- small helpers ----

function target(conversation) {
  return conversation.isGroup ? { groupId: conversation.groupId } : { peerId: conversation.peerId };
}

function names(text) {
  return text.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function button(label, onClick) {
  const node = element('button', 'small quiet', label);
  node.type = 'button';
  node.addEventListener('click', (event) => {
    event.stopPropagation();
    onClick();
  });
  return node;
}

function dotClass(online) {
  return `dot ${online === true ? 'online' : online === false ? 'offline' : 'unknown'}`;
}

function dot(online) {
  const node = element('span', dotClass(online));
  node.title = online === true ? 'online' : online === false ? 'offline' : 'presence unknown';
  return node;
}

function time(timestamp) {
  if (!timestamp) {
    return '';
  }
  const date = new Date(timestamp);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function readable(error) {
  if (error instanceof ImError) {
    return error.message;
  }
  if (error?.name === 'ConnectionLostError') {
    return 'not connected to the server; try again in a moment';
  }
  return error?.message ?? String(error);
}

function showError(error) {
  const toast = $('toast');
  toast.textContent = readable(error);
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toast.hidden = true;
  }, 6000);
}

function quietly() {}

// ---- resume this tab's session after a reload ----

const session = savedSession.load();
if (session?.token) {
  connect(session).resume().catch((error) => {
    $('login-user').value = session.userName ?? '';
    $('login-error').textContent = `Please log in again (${readable(error)})`;
  });
}

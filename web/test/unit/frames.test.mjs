// protocol.js framing: the 11-byte header, JSON bodies, and every way a frame can be wrong.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Command, FrameReader, HEADER_LENGTH, ProtocolError, commandName, decodeFrame, decodeHeader, encodeFrame, replyTo,
} from '../../public/js/protocol.js';

const hex = (bytes) => Buffer.from(bytes).toString('hex');

test('a version-1 login frame is byte for byte the one docs/protocol.md shows', () => {
  const frame = encodeFrame(Command.LoginRequest, { userName: 'alice', password: 'pw' }, { version: 1 });
  assert.equal(hex(frame), '1234567801010100000024'
    + Buffer.from('{"userName":"alice","password":"pw"}').toString('hex'));
  assert.equal(frame.length, 47);
});

test('a version-2 frame round-trips, with big-endian lengths over 255', () => {
  const message = 'x'.repeat(300);
  const frame = encodeFrame(Command.MessageRequest, { toUserName: 'bob', message, clientMsgId: 'c1' });
  assert.deepEqual([...frame.subarray(0, 7)], [0x12, 0x34, 0x56, 0x78, 2, 1, 3]);
  const length = new DataView(frame.buffer).getInt32(7);
  assert.equal(length, frame.length - HEADER_LENGTH);
  assert.ok(length > 255);
  const decoded = decodeFrame(frame);
  assert.equal(decoded.command, Command.MessageRequest);
  assert.equal(decoded.name, 'MessageRequest');
  assert.equal(decoded.version, 2);
  assert.deepEqual(decoded.body, { toUserName: 'bob', message, clientMsgId: 'c1' });
});

test('null and undefined fields are left out, as the server leaves them out', () => {
  const frame = encodeFrame(Command.LoginRequest, { userName: 'a', password: null, token: 't', lastSeq: undefined });
  assert.deepEqual(decodeFrame(frame).body, { userName: 'a', token: 't' });
  assert.equal(Buffer.from(frame.subarray(HEADER_LENGTH)).toString(), '{"userName":"a","token":"t"}');
});

test('non-ASCII text is UTF-8 and its byte length is the one announced', () => {
  const frame = encodeFrame(Command.MessageRequest, { message: 'héllo 👋' });
  const length = new DataView(frame.buffer).getInt32(7);
  assert.equal(length, Buffer.byteLength('{"message":"héllo 👋"}'));
  assert.equal(decodeFrame(frame).body.message, 'héllo 👋');
});

test('decodeFrame accepts an ArrayBuffer and a view into a larger buffer', () => {
  const frame = encodeFrame(Command.DeliveryAck, { seq: 7 });
  assert.deepEqual(decodeFrame(frame.buffer).body, { seq: 7 });
  const padded = new Uint8Array(frame.length + 6);
  padded.set(frame, 3);
  assert.deepEqual(decodeFrame(new DataView(padded.buffer, 3, frame.length)).body, { seq: 7 });
});

const broken = (mutate) => {
  const frame = encodeFrame(Command.HeartBeatRequest, {});
  return mutate(frame);
};

test('bad frames are ProtocolErrors naming the problem', () => {
  const cases = [
    [broken((f) => f.subarray(0, 5)), /needs 11 header bytes, got 5/],
    [broken((f) => { f[0] = 0x13; return f; }), /bad magic 0x13345678/],
    [broken((f) => { f[5] = 2; return f; }), /serializer 2 is not JSON/],
    [broken((f) => { new DataView(f.buffer).setInt32(7, -1); return f; }), /negative body length -1/],
    [broken((f) => { new DataView(f.buffer).setInt32(7, 3); return f; }), /announces 3 body bytes, the message holds 2/],
    [broken((f) => { new DataView(f.buffer).setInt32(7, 2 * 1024 * 1024); return f; }), /over the limit/],
    [frameWithBody('[1,2]'), /is not a JSON object/],
    [frameWithBody('null'), /is not a JSON object/],
    [frameWithBody('{"a":'), /is not UTF-8 JSON/],
    [frameWithBytes([0x7b, 0xff, 0x7d]), /is not UTF-8 JSON/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => decodeFrame(bytes), (error) => error instanceof ProtocolError && message.test(error.message),
      `expected ${message}`);
  }
});

function frameWithBody(text) {
  return frameWithBytes([...Buffer.from(text)]);
}

function frameWithBytes(body) {
  const frame = new Uint8Array(HEADER_LENGTH + body.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 0x12345678);
  view.setUint8(4, 2);
  view.setUint8(5, 1);
  view.setUint8(6, Command.MessageResponse);
  view.setInt32(7, body.length);
  frame.set(body, HEADER_LENGTH);
  return frame;
}

test('encodeFrame refuses what the server would refuse', () => {
  assert.throws(() => encodeFrame(256, {}), RangeError);
  assert.throws(() => encodeFrame(1.5, {}), RangeError);
  assert.throws(() => encodeFrame(3, [1]), TypeError);
  assert.throws(() => encodeFrame(3, 'text'), TypeError);
  assert.throws(() => encodeFrame(3, { message: 'x'.repeat(100) }, { maxBodyLength: 50 }), /over the limit of 50/);
});

test('decodeHeader waits for 11 bytes and checks the magic as soon as it has them', () => {
  const frame = encodeFrame(Command.MessageRequest, { message: 'hi' });
  assert.equal(decodeHeader(frame.subarray(0, 10)), null);
  assert.deepEqual(decodeHeader(frame.subarray(0, 11)),
    { version: 2, serializer: 1, command: 3, bodyLength: frame.length - 11 });
});

test('FrameReader splits a stream at any boundary, keeping partial frames', () => {
  const frames = [encodeFrame(4, { message: 'one' }), encodeFrame(19, { messageId: 2 }), encodeFrame(18, {})];
  const stream = Buffer.concat(frames.map((f) => Buffer.from(f)));
  for (let seed = 1; seed <= 50; seed += 1) {
    const reader = new FrameReader();
    const got = [];
    let offset = 0;
    let random = seed;
    while (offset < stream.length) {
      random = (random * 1103515245 + 12345) % 2147483648;
      const size = 1 + (random % 9);
      got.push(...reader.push(stream.subarray(offset, offset + size)));
      offset += size;
    }
    assert.deepEqual(got.map((f) => [f.command, f.body]),
      [[4, { message: 'one' }], [19, { messageId: 2 }], [18, {}]], `seed ${seed}`);
  }
});

test('FrameReader refuses an oversized frame from its header alone', () => {
  const reader = new FrameReader({ maxBodyLength: 10 });
  const header = encodeFrame(3, { message: 'far more than ten bytes' }).subarray(0, HEADER_LENGTH);
  assert.throws(() => reader.push(header), /over the limit of 10/);
});

test('every request that expects a reply names one the table knows', () => {
  for (const [name, code] of Object.entries(Command)) {
    assert.equal(commandName(code), name);
    const reply = replyTo(code);
    if (reply !== undefined) {
      assert.ok(name.endsWith('Request'), `${name} waits for ${commandName(reply)}`);
      assert.notEqual(commandName(reply), `command ${reply}`);
    }
  }
  assert.equal(replyTo(Command.TypingRequest), undefined);
  assert.equal(replyTo(Command.DeliveryAck), undefined);
  assert.equal(commandName(200), 'command 200');
});

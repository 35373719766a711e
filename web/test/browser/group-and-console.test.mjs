// A group of three in three browsers, with roles and events; and a browser chatting with the console client.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, ConsoleClient, loggedInPage, openChat, openFromList, send, messageTexts, waitForMessage,
  screenshot,
} from './harness.mjs';

const scene = serverAndBrowser();

test('a group conversation with three members', { timeout: 90000 }, async () => {
  const ann = await loggedInPage(scene.browser, scene.server, 'ann');
  const ben = await loggedInPage(scene.browser, scene.server, 'ben');
  const cat = await loggedInPage(scene.browser, scene.server, 'cat');

  await ann.click('#new-group');
  await ann.fill('#group-name', 'Trio');
  await ann.fill('#group-members', 'ben, cat');
  await ann.click('#group-create');
  await ann.waitForSelector('#conversation-title:text-is("Trio")');
  await ann.locator('#message-list .message.event', { hasText: 'ann created the group “Trio”' }).waitFor();

  await send(ann, 'welcome to the trio');
  for (const page of [ben, cat]) {
    await page.locator('.conversation-item[data-title="Trio"] .unread', { hasText: '1' }).waitFor();
    await openFromList(page, 'Trio');
    await waitForMessage(page, 'welcome to the trio');
  }
  await send(cat, 'hi both');
  await send(ben, 'hello!');
  for (const page of [ann, ben, cat]) {
    await waitForMessage(page, 'hello!');
    await waitForMessage(page, 'hi both');
  }
  // one order for everyone: the order the server stored them in
  const order = await messageTexts(ann);
  assert.deepEqual(await messageTexts(ben), order);
  assert.deepEqual(await messageTexts(cat), order);

  // the owner makes ben an admin; ben renames the group; everyone sees both events and the new name
  await ann.click('#members-toggle');
  const benRow = ann.locator('#member-list .member[data-user-name="ben"]');
  await benRow.locator('button', { hasText: 'make admin' }).click();
  await benRow.locator('.role', { hasText: 'admin' }).waitFor();
  await ann.locator('#member-list .member[data-user-name="ann"] .role', { hasText: 'owner' }).waitFor();
  await ann.locator('#member-list .member .dot.online').nth(2).waitFor();

  await ben.click('#members-toggle');
  await ben.fill('#rename-input', 'Trio, renamed');
  await ben.press('#rename-input', 'Enter');
  for (const page of [ann, ben, cat]) {
    await page.waitForSelector('#conversation-title:text-is("Trio, renamed")');
    await page.locator('#message-list .message.event', { hasText: 'ann made ben an admin' }).waitFor();
    await page.locator('#message-list .message.event', { hasText: 'ben renamed the group to “Trio, renamed”' })
      .waitFor();
  }
  // cat, a plain member, gets no rename box and no kick buttons
  await cat.click('#members-toggle');
  await cat.locator('#member-list .member[data-user-name="ben"]').waitFor();
  assert.equal(await cat.isVisible('#rename-group'), false);
  assert.equal(await cat.locator('#member-list button', { hasText: 'kick' }).count(), 0);

  // how many have read ann's message
  const welcome = ann.locator('#message-list .message.mine', { hasText: 'welcome to the trio' });
  await welcome.hover();
  await welcome.locator('button', { hasText: 'read by?' }).click();
  await welcome.locator('button', { hasText: 'read by 2' }).waitFor();
  await screenshot(ann, 'group-ann');
  await screenshot(cat, 'group-cat');

  // cat leaves: the others see it, and cat's list no longer has the group
  await cat.click('#leave-group');
  await cat.locator('.conversation-item[data-title="Trio, renamed"]').waitFor({ state: 'detached' });
  await ann.locator('#message-list .message.event', { hasText: 'cat left' }).waitFor();
  await ann.locator('#member-list .member[data-user-name="cat"]').waitFor({ state: 'detached' });

  for (const page of [ann, ben, cat]) {
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a browser and a console client chat', { timeout: 90000 }, async () => {
  const page = await loggedInPage(scene.browser, scene.server, 'webby');
  const console = await ConsoleClient.start(scene.server, 'termy');

  await openChat(page, 'termy');
  await send(page, 'hello from the browser');
  const received = await console.out.waitFor('text=hello from the browser');
  assert.match(received, /^\[message\] from=webby\(\w+\) seq=\d+ id=\d+ text=hello from the browser$/);

  console.type('sendToUser webby hello from the console');
  await console.out.waitFor('[ack]');
  await waitForMessage(page, 'hello from the console');
  assert.deepEqual(await messageTexts(page), ['hello from the browser', 'hello from the console']);
  assert.equal(await page.textContent('#message-list .message:not(.mine) .author'), 'termy');

  // the console reads the conversation; the browser shows its message as read
  const messageId = /id=(\d+)/.exec(received)[1];
  console.type(`read webby ${messageId}`);
  await page.waitForSelector('#message-list .message.mine .status:text-is("read")');
  await screenshot(page, 'browser-and-console');

  await console.quit();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The server is killed and restarted under an open page: the page reconnects with its token and lastSeq, shows what
// arrived while it was away, sends what was typed meanwhile exactly once, and a reload resumes the same session.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, ConsoleClient, loggedInPage, openChat, send, messageTexts, waitForMessage, screenshot,
} from './harness.mjs';

const scene = serverAndBrowser();

/**
 * Lets the page's WebSocket through to the server while `open`; otherwise refuses it at once, as an unreachable
 * server would, so a test decides when the page may come back.
 */
async function gate(page) {
  const state = { open: true, connects: 0 };
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (!state.open) {
      ws.close({ code: 1006 });
      return;
    }
    state.connects += 1;
    ws.connectToServer();
  });
  return state;
}

test('the page reconnects after a server restart and shows what it missed', { timeout: 120000 }, async () => {
  const sam = await ConsoleClient.start(scene.server, 'sam');
  const context = await scene.browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  const door = await gate(page);
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(error.message));
  await page.goto(scene.server.webUrl);
  await page.fill('#login-user', 'rita');
  await page.fill('#login-password', 'correct horse');
  await page.click('#login-submit');
  await page.waitForSelector('#me-name:text-is("rita")');

  await openChat(page, 'sam');
  await send(page, 'before the crash');
  await sam.out.waitFor('text=before the crash');
  sam.type('sendToUser rita got it');
  await waitForMessage(page, 'got it');

  door.open = false;
  await scene.server.kill();
  await page.waitForSelector('#connection-state:text-is("Connection lost; reconnecting…")');
  await send(page, 'typed while the server was down');
  await page.waitForSelector('#message-list .message.pending .status:text-is("sending…")');

  await scene.server.restart();
  await sam.out.waitFor(/\[login\] ok user=sam .* via=token/, 30000);
  sam.type('sendToUser rita you missed this');
  sam.type('sendToUser rita and this');
  await sam.out.waitForNth('[ack]', 3);
  await screenshot(page, 'restart-offline');

  door.open = true;
  await page.waitForSelector('#connection-state', { state: 'hidden', timeout: 30000 });
  await waitForMessage(page, 'and this');
  await page.waitForFunction(() => document.querySelectorAll('#message-list .message.pending').length === 0);
  // what was typed offline is stored when the page is back, after what sam sent meanwhile
  assert.deepEqual(await messageTexts(page),
    ['before the crash', 'got it', 'you missed this', 'and this', 'typed while the server was down']);
  await sam.out.waitFor('text=typed while the server was down');
  assert.equal(sam.out.lines.filter((line) => line.includes('text=typed while the server was down')).length, 1,
    'the message typed offline reached sam once');
  await screenshot(page, 'restart-reconnected');

  // a reload resumes the tab's session from its storage: no login form, the same conversation from history
  const loginsBefore = door.connects;
  await page.reload();
  await page.waitForSelector('#me-name:text-is("rita")');
  assert.equal(await page.isVisible('#login-view'), false);
  assert.ok(door.connects > loginsBefore);
  await page.click('.conversation-item[data-title="sam"]');
  await waitForMessage(page, 'and this');
  assert.deepEqual(await messageTexts(page),
    ['before the crash', 'got it', 'you missed this', 'and this', 'typed while the server was down']);

  await sam.quit();
  assert.deepEqual(page.problems, []);
  await context.close();
});

// What the browser tests share: a real IM server started from the built jar, Debian's Chromium driven by
// playwright-core, the console client, and screenshots under web/target/screenshots.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '../..');
const jar = path.resolve(webRoot, '../im-app/target/switchboard-im.jar');
export const screenshots = path.resolve(webRoot, 'target/screenshots');

/** Debian's package; Playwright's own browser download is not used. */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export const PASSWORD = 'correct horse';

/** Lines of a child process's output, and a way to wait for one. */
class Lines {
  constructor(stream, name) {
    this.lines = [];
    this.waiters = [];
    this.name = name;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      partial += chunk;
      let newline;
      while ((newline = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, newline);
        partial = partial.slice(newline + 1);
        this.lines.push(line);
        this.waiters = this.waiters.filter((waiter) => !waiter.check(line));
      }
    });
  }

  /** Resolves with the first line (already seen or coming) that matches. */
  waitFor(pattern, timeoutMs = 15000) {
    return this.waitForNth(pattern, 1, timeoutMs);
  }

  /** Resolves with the `n`th line (1 for the first) that matches. */
  waitForNth(pattern, n, timeoutMs = 15000) {
    const test = (line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line));
    const seen = this.lines.filter(test);
    if (seen.length >= n) {
      return Promise.resolve(seen[n - 1]);
    }
    let count = seen.length;
    const match = (line) => test(line) && ++count >= n;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no line matching ${pattern} within `
        + `${timeoutMs} ms; got:\n${this.lines.slice(-30).join('\n')}`)), timeoutMs);
      this.waiters.push({ check: (line) => {
        if (!match(line)) {
          return false;
        }
        clearTimeout(timer);
        resolve(line);
        return true;
      } });
    });
  }
}

function java(args, name) {
  if (!existsSync(jar)) {
    throw new Error(`${jar} is missing: build it first (./mvnw -B package -DskipTests)`);
  }
  const child = spawn('java', ['-jar', jar, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new Lines(child.stdout, name);
  const err = new Lines(child.stderr, `${name} (stderr)`);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, out, err, exited };
}

/**
 * An IM server on loopback with the web listener, storing in a temporary SQLite directory. `restart()` starts a new
 * process on the same ports and directory.
 */
export class ImServer {
  static async start() {
    const server = new ImServer(mkdtempSync(path.join(tmpdir(), 'switchboard-web-')));
    await server.launch(0, 0);
    const app = await fetch(new URL('js/app.js', server.webUrl));
    if (!app.ok) {
      await server.stop();
      throw new Error(`the jar serves no web client (${app.status} for js/app.js): rebuild it`);
    }
    return server;
  }

  constructor(dataDir) {
    this.dataDir = dataDir;
  }

  async launch(port, webPort) {
    this.process = java(['server', '--host', '127.0.0.1', '--port', String(port), '--web-port', String(webPort),
      '--data-dir', this.dataDir, '--password-iterations', '1000', '--rate-limit', '0',
      '--connection-rate-per-ip', '0', '--presence-settle', 'PT0.2S'], 'server');
    const ready = await Promise.race([
      this.process.out.waitFor(/server ready on/, 30000),
      this.process.exited.then(({ code }) => {
        throw new Error(`the server exited (${code}):\n${this.process.err.lines.join('\n')}`);
      }),
    ]);
    const ports = /ready on [^:]+:(\d+) .* web on (http:\/\/[^/]+\/)/.exec(ready);
    if (!ports) {
      throw new Error(`cannot read the ports from: ${ready}`);
    }
    this.port = Number(ports[1]);
    this.webUrl = ports[2];
    this.webPort = Number(new URL(this.webUrl).port);
  }

  /** Kills the process (SIGKILL: no drain, as a crash) and starts it again on the same ports and data. */
  async restart({ downMs = 0 } = {}) {
    await this.kill();
    if (downMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, downMs));
    }
    await this.launch(this.port, this.webPort);
  }

  async kill() {
    this.process.child.kill('SIGKILL');
    await this.process.exited;
  }

  async stop() {
    if (this.process.child.exitCode === null && this.process.child.signalCode === null) {
      this.process.child.kill('SIGTERM');
      await this.process.exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The console client in batch mode: one command per line in, one event per line out. */
export class ConsoleClient {
  static async start(server, user) {
    const client = new ConsoleClient(java(['client', '--batch', '--host', '127.0.0.1', '--port', String(server.port),
      '--user', user, '--password', PASSWORD], `console ${user}`));
    await client.out.waitFor('[login] ok');
    return client;
  }

  constructor(process) {
    this.process = process;
    this.out = process.out;
  }

  type(line) {
    this.process.child.stdin.write(`${line}\n`);
  }

  async quit() {
    this.type('quit');
    this.process.child.stdin.end();
    await this.process.exited;
  }
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A page of its own (own storage, as another person's browser) logged in as `user`. */
export async function loggedInPage(browser, server, user, viewport = { width: 1100, height: 720 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(message.text());
    }
  });
  page.problems = problems;
  await page.goto(server.webUrl);
  await page.fill('#login-user', user);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#chat-view:not([hidden])');
  await page.waitForSelector(`#me-name:text-is("${user}")`);
  return page;
}

/** Opens (or starts) the direct conversation with `peer` through the "Chat with" box. */
export async function openChat(page, peer) {
  await page.fill('#new-chat-user', peer);
  await page.press('#new-chat-user', 'Enter');
  await page.waitForSelector(`#conversation-title:text-is("${peer}")`);
}

/** Opens a conversation from the list by its title. */
export async function openFromList(page, title) {
  await page.click(`.conversation-item[data-title="${title}"]`);
  await page.waitForSelector(`#conversation-title:text-is("${title}")`);
}

export async function send(page, text) {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
}

/** The texts of the open conversation's messages, oldest first. */
export async function messageTexts(page) {
  return page.$$eval('#message-list .message:not(.event) .text', (nodes) => nodes.map((n) => n.textContent));
}

/** Waits until the open conversation shows a message with exactly this text. */
export async function waitForMessage(page, text) {
  await page.locator('#message-list .message .text', { hasText: text }).first().waitFor();
}

export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

/**
 * For a test file: a server and a browser started before its tests and stopped after them. The fields are set once
 * the file's tests run.
 */
export function serverAndBrowser() {
  const scene = { server: null, browser: null };
  before(async () => {
    scene.server = await ImServer.start();
    scene.browser = await launchBrowser();
  });
  after(async () => {
    await scene.browser?.close();
    await scene.server?.stop();
  });
  return scene;
}

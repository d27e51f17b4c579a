// Unit tests of tracker.js in a simulated browser (node:vm): payload, batching, retries, page
// hide, storage and consent. The real browser runs it in tests/test_browser_to_parquet.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = fileURLToPath(new URL('.', import.meta.url));
const source = readFileSync(here + '../tracker.js', 'utf8');
const contract = JSON.parse(execFileSync(process.env.GO || 'go', ['run', './cmd/contract'], { cwd: here + '../..' }));
const ENDPOINT = 'https://collector.example.com/collect';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// A browser holding what outlives a page: the cookie jar and localStorage.
class Browser {
  constructor() {
    this.jar = new Map();
    this.cookieWrites = [];
    this.store = new Map();
    this.requests = []; // fetch calls, parsed
    this.beacons = [];
    this.statuses = []; // answers of the next fetch calls; then 200
  }

  // open loads a page running the tracker with options; it returns the page.
  async open(url, { referrer = '', options = {}, beforeLoad } = {}) {
    const page = new Page(this, url, referrer, options);
    vm.runInNewContext(source, page.window);
    if (beforeLoad) beforeLoad(page);
    page.fire(page.window, 'load');
    await page.advance(0);
    return page;
  }

  events() {
    return this.requests.flatMap((r) => r.events);
  }
}

class Page {
  constructor(browser, url, referrer, options) {
    this.browser = browser;
    this.now = 0;
    this.timers = [];
    this.listeners = new Map();
    const location = new URL(url);
    const b = browser;
    const page = this;
    const document = {
      currentScript: { dataset: { endpoint: ENDPOINT, flushMs: '100', ...options } },
      referrer,
      title: 'Shop',
      readyState: 'loading',
      visibilityState: 'visible',
      get cookie() {
        return [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      },
      set cookie(text) {
        b.cookieWrites.push(text);
        const [pair, ...attrs] = text.split('; ');
        const [name, value] = pair.split('=');
        if (attrs.includes('Max-Age=0')) b.jar.delete(name);
        else b.jar.set(name, value);
      },
      addEventListener: (type, fn) => page.on(document, type, fn)
    };
    this.document = document;
    this.window = {
      location,
      document,
      navigator: {
        language: 'de-DE',
        sendBeacon: (to, body) => {
          b.beacons.push({ to, events: JSON.parse(body) });
          return true;
        }
      },
      screen: { width: 1920, height: 1080 },
      crypto: globalThis.crypto,
      performance: { getEntriesByType: () => [{ loadEventEnd: 812.4, responseStart: 95.6 }] },
      localStorage: {
        getItem: (k) => (b.store.has(k) ? b.store.get(k) : null),
        setItem: (k, v) => b.store.set(k, String(v)),
        removeItem: (k) => b.store.delete(k)
      },
      fetch: async (to, init) => {
        b.requests.push({ to, init, events: JSON.parse(init.body) });
        const status = b.statuses.length ? b.statuses.shift() : 200;
        if (status === 0) throw new TypeError('Failed to fetch');
        return { status };
      },
      setTimeout: (fn, ms) => {
        const t = { at: page.now + (ms || 0), fn, ms };
        page.timers.push(t);
        return t;
      },
      clearTimeout: (t) => {
        page.timers = page.timers.filter((x) => x !== t);
      },
      addEventListener: (type, fn) => page.on(page.window, type, fn)
    };
    this.window.window = this.window;
  }

  on(target, type, fn) {
    const key = target === this.window ? 'w:' + type : 'd:' + type;
    this.listeners.set(key, [...(this.listeners.get(key) || []), fn]);
  }

  fire(target, type) {
    if (type === 'load') this.document.readyState = 'complete';
    for (const fn of this.listeners.get((target === this.window ? 'w:' : 'd:') + type) || []) fn();
  }

  // advance runs the timers due within ms, letting fetch promises settle after each.
  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = end;
  }

  hide() {
    this.document.visibilityState = 'hidden';
    this.fire(this.document, 'visibilitychange');
    this.fire(this.window, 'pagehide');
  }

  get api() {
    return this.window.clickstream;
  }
}

// validate checks one event against the contract's raw fields: known names, JSON types,
// required values, and nothing the collector stamps.
function validate(event, fields, path = '') {
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(event)) {
    const f = byName.get(name);
    assert.ok(f, `${path}${name} is not a raw field of the contract`);
    assert.equal(f.setBy, 'client', `${path}${name} is stamped by the collector, the tracker must not send it`);
    const types = f.type.split('|');
    const ok = types.some((t) => (t === 'object' ? value !== null && typeof value === 'object' && !Array.isArray(value)
      : t === 'integer' ? Number.isInteger(value) : typeof value === t));
    assert.ok(ok, `${path}${name}: ${JSON.stringify(value)} is not ${f.type}`);
    if (f.fields) validate(value, f.fields, path + name + '.');
  }
  if (!path) {
    for (const f of fields.filter((f) => f.required)) {
      assert.ok(typeof event[f.name] === 'string' && event[f.name].trim(), `required ${f.name} missing`);
    }
  }
}

test('a page view after load: URL with the campaign, referrer, title, timings, ids', async () => {
  const b = new Browser();
  const landing = 'https://shop.example.com/?utm_source=newsletter&utm_medium=email&gclid=abc';
  const page = await b.open(landing, {
    referrer: 'https://www.google.com/',
    // A router strips the campaign before the load event: the page view keeps it.
    beforeLoad: (p) => (p.window.location = new URL('https://shop.example.com/')),
  });
  await page.advance(100);
  const [e] = b.events();
  assert.equal(b.requests.length, 1);
  assert.equal(e.event_type, 'page_view');
  assert.match(e.event_id, UUID);
  assert.match(e.anonymous_id, UUID);
  assert.ok(Math.abs(Date.parse(e.event_time) - Date.now()) < 5000 && e.event_time.endsWith('Z'));
  assert.deepEqual(e.page, { url: landing, referrer: 'https://www.google.com/', title: 'Shop' });
  assert.deepEqual(e.performance, { page_load_ms: 812, ttfb_ms: 96 });
  assert.deepEqual(e.context, { locale: 'de-DE', screen_width: 1920, screen_height: 1080 });
  assert.equal(e.properties, undefined);
});

test('the payload is a raw event of the contract', async () => {
  const b = new Browser();
  const page = await b.open('https://shop.example.com/p/1');
  page.api.identify('user-7');
  page.api.track('add_to_cart', { product_id: 'P1', price: 19.9, quantity: 2 });
  page.api.track('purchase', { order_id: 'O-1', revenue: 39.8, currency: 'EUR', product_id: 'P1' });
  await page.advance(100);
  const events = b.events();
  assert.equal(events.length, 3);
  for (const e of events) validate(e, contract.rawEvent);
  assert.deepEqual(events[2].properties, { order_id: 'O-1', revenue: 39.8, currency: 'EUR', product_id: 'P1' });
  assert.equal(events[2].user_id, 'user-7');
  assert.equal(new Set(events.map((e) => e.event_id)).size, 3);
});

test('requests are simple CORS POSTs of text that survive the page', async () => {
  const b = new Browser();
  await (await b.open('https://shop.example.com/')).advance(100);
  const { to, init } = b.requests[0];
  assert.equal(to, ENDPOINT);
  assert.deepEqual([init.method, init.headers['Content-Type'], init.keepalive, init.credentials, init.mode],
    ['POST', 'text/plain;charset=UTF-8', true, 'omit', 'cors']);
});

test('batches: one request per flush, at most batchSize events and 60 kB each', async () => {
  const b = new Browser();
  const page = await b.open('https://shop.example.com/', { options: { batchSize: '3', autoPageView: 'false' } });
  for (let i = 0; i < 7; i++) page.api.track('click', { i });
  await page.advance(100);
  assert.deepEqual(b.requests.map((r) => r.events.length), [3, 3, 1]);
  b.requests = [];
  const big = 'x'.repeat(25000);
  for (let i = 0; i < 3; i++) page.api.track('search', { q: big });
  await page.advance(100);
  assert.deepEqual(b.requests.map((r) => r.events.length), [2, 1]);
  assert.ok(b.requests.every((r) => r.init.body.length <= 60000));
});

test('5xx, 429, 408 and network errors are retried with the same events and doubling backoff', async () => {
  const b = new Browser();
  b.statuses = [503, 0, 429, 408, 200];
  const page = await b.open('https://shop.example.com/', { options: { retryMs: '1000' } });
  await page.advance(100);
  const delays = [];
  for (let i = 0; i < 4; i++) {
    const [retry] = page.timers;
    delays.push(retry.ms);
    await page.advance(retry.ms);
  }
  assert.equal(b.requests.length, 5);
  assert.ok(b.requests.every((r) => r.init.body === b.requests[0].init.body));
  [1000, 2000, 4000, 8000].forEach((d, i) => assert.ok(delays[i] >= d / 2 && delays[i] <= d, `retry ${i}: ${delays[i]} ms`));
  assert.equal(page.api.pending(), 0);
});

test('a batch the collector refuses (4xx) is dropped, not retried', async () => {
  const b = new Browser();
  b.statuses = [400];
  const page = await b.open('https://shop.example.com/');
  await page.advance(100);
  page.api.track('click');
  await page.advance(100);
  assert.equal(b.requests.length, 2);
  assert.equal(page.api.pending(), 0);
});

test('on page hide: unsent events go by beacon; failed batches are kept for the next page', async () => {
  const b = new Browser();
  b.statuses = [503];
  const first = await b.open('https://shop.example.com/', { options: { retryMs: '60000' } });
  await first.advance(100); // the page view fails once, its retry is a minute away
  first.api.track('add_to_cart', { product_id: 'P1' });
  first.hide(); // visibilitychange and pagehide: each batch handed over once
  assert.deepEqual(b.beacons.map((x) => x.events.map((e) => e.event_type)), [['page_view'], ['add_to_cart']]);
  const [pageView] = b.requests[0].events;
  // The next page sends the failed page view again (same event id), not the add_to_cart.
  const second = await b.open('https://shop.example.com/cart', { options: { autoPageView: 'false' } });
  await second.advance(100);
  assert.deepEqual(b.requests.slice(1).flatMap((r) => r.events.map((e) => e.event_id)), [pageView.event_id]);
  assert.equal(second.api.pending(), 0);
  assert.equal(b.store.has('_cs_outbox'), false);
});

test('a page left before its load event still records the page view', async () => {
  const b = new Browser();
  const page = new Page(b, 'https://shop.example.com/', '', {});
  vm.runInNewContext(source, page.window);
  page.hide();
  assert.deepEqual(b.beacons.map((x) => x.events[0].event_type), ['page_view']);
  assert.equal(b.beacons[0].events[0].performance.page_load_ms, 812);
});

test('the anonymous id is a first-party cookie for 13 months, kept across pages', async () => {
  const b = new Browser();
  await (await b.open('https://shop.example.com/')).advance(100);
  await (await b.open('https://shop.example.com/p/1')).advance(100);
  const [one, two] = b.events();
  assert.equal(one.anonymous_id, two.anonymous_id);
  assert.equal(b.jar.get('_cs_aid'), one.anonymous_id);
  assert.ok(b.cookieWrites.includes(`_cs_aid=${one.anonymous_id}; Max-Age=34128000; Path=/; SameSite=Lax; Secure`));
});

test('localStorage keeps the id instead of a cookie when configured', async () => {
  const b = new Browser();
  await (await b.open('https://shop.example.com/', { options: { storage: 'localStorage' } })).advance(100);
  assert.equal(b.store.get('_cs_aid'), b.events()[0].anonymous_id);
  assert.equal(b.jar.has('_cs_aid'), false);
});

test('with requireConsent nothing is stored or sent until consent(true)', async () => {
  const b = new Browser();
  const page = await b.open('https://shop.example.com/', { options: { requireConsent: 'true' } });
  page.api.track('click');
  await page.advance(100);
  assert.equal(b.requests.length, 0);
  assert.equal(b.jar.size + b.store.size, 0);
  page.hide();
  assert.equal(b.beacons.length, 0);
  page.api.consent(true);
  await page.advance(0);
  assert.deepEqual(b.events().map((e) => e.event_type), ['page_view', 'click']);
  assert.equal(b.jar.get('_cs_aid'), b.events()[0].anonymous_id);
});

test('consent(false) opts out: id and unsent events deleted, nothing tracked, across pages', async () => {
  const b = new Browser();
  b.statuses = [503];
  const page = await b.open('https://shop.example.com/', { options: { retryMs: '60000' } });
  await page.advance(100);
  assert.equal(page.api.pending(), 1);
  page.api.consent(false);
  page.api.track('click');
  page.hide();
  await page.advance(60000);
  assert.equal(page.api.pending(), 0);
  assert.equal(b.requests.length, 1);
  assert.equal(b.beacons.length, 0);
  assert.equal(b.jar.has('_cs_aid'), false);
  assert.equal(b.jar.get('_cs_optout'), '1');
  assert.equal(b.store.has('_cs_outbox'), false);
  await (await b.open('https://shop.example.com/p/1')).advance(100);
  assert.equal(b.requests.length, 1);
  // Opting in again tracks what follows, with a new id.
  const again = await b.open('https://shop.example.com/p/2');
  again.api.consent(true);
  again.api.track('click');
  await again.advance(100);
  assert.deepEqual(b.requests.slice(1).flatMap((r) => r.events.map((e) => e.event_type)), ['click']);
  assert.notEqual(b.events()[1].anonymous_id, b.events()[0].anonymous_id);
  assert.equal(b.jar.has('_cs_optout'), false);
});

test('page() records single-page-application navigations with the previous URL as referrer', async () => {
  const b = new Browser();
  const page = await b.open('https://shop.example.com/');
  page.window.location = new URL('https://shop.example.com/p/1');
  page.api.page();
  await page.advance(100);
  const [, spa] = b.events();
  assert.deepEqual([spa.event_type, spa.page.url], ['page_view', 'https://shop.example.com/p/1']);
});

test('pending() counts what is not yet acknowledged, the coming page view included', async () => {
  const b = new Browser();
  b.statuses = [503];
  const page = new Page(b, 'https://shop.example.com/', '', { retryMs: '1000' });
  vm.runInNewContext(source, page.window);
  assert.equal(page.window.clickstream.pending(), 1); // the page view waits for the load event
  page.fire(page.window, 'load');
  await page.advance(100);
  assert.equal(page.api.pending(), 1); // sent, refused, waiting for its retry
  await page.advance(1000);
  assert.equal(page.api.pending(), 0);
});

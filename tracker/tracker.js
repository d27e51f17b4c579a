/*! Clickstream tracker: first-party, dependency-free. Embed:
 *  <script src="/tracker.js" data-endpoint="https://<function-url>/collect" defer></script>
 * Options (data-* attributes, or window.clickstreamConfig before the script):
 *  endpoint (required), storage: cookie|localStorage (keeps the anonymous id; default cookie),
 *  cookieDomain, requireConsent (true: nothing is stored or sent before consent(true)),
 *  autoPageView (default true), flushMs (default 1000), retryMs (default 1000), batchSize (default 20).
 * API: clickstream.track(name, properties), page(), identify(userId), consent(true|false), flush(), pending().
 */
(function (window, document) {
  'use strict';
  if (window.clickstream) return;
  var script = document.currentScript;
  var opts = window.clickstreamConfig || (script && script.dataset) || {};
  var endpoint = opts.endpoint;
  var inLocalStorage = opts.storage === 'localStorage';
  var requireConsent = String(opts.requireConsent) === 'true';
  var flushMs = num(opts.flushMs, 1000);
  var retryMs = num(opts.retryMs, 1000);
  var batchSize = num(opts.batchSize, 20);
  // fetch keepalive and sendBeacon share a 64 KiB budget per page.
  var MAX_BYTES = 60000;
  var MAX_RETRY_MS = 30000;
  var ID_KEY = '_cs_aid';
  var OPT_OUT_KEY = '_cs_optout';
  var OUTBOX_KEY = '_cs_outbox';
  var ID_MAX_AGE_S = 395 * 24 * 3600; // 13 months

  var landing = location.href; // before any router rewrites the URL: it carries utm and click ids
  var previousUrl = document.referrer;
  var userId = null;
  var queue = []; // events not yet in a batch
  var outbox = []; // batches {events, attempts}, oldest first
  var inFlight = null;
  var flushTimer = null;
  var retryTimer = null;
  var pageViewSent = false;
  var autoPageView = String(opts.autoPageView) !== 'false';

  function num(v, d) {
    var n = parseInt(v, 10);
    return isNaN(n) ? d : n;
  }

  function local() {
    try {
      return window.localStorage;
    } catch (e) {
      return null; // blocked storage throws
    }
  }

  function cookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }

  function setCookie(name, value, maxAge) {
    document.cookie = name + '=' + encodeURIComponent(value) + '; Max-Age=' + maxAge + '; Path=/; SameSite=Lax' +
      (opts.cookieDomain ? '; Domain=' + opts.cookieDomain : '') + (location.protocol === 'https:' ? '; Secure' : '');
  }

  function readId() {
    var ls = inLocalStorage && local();
    return ls ? ls.getItem(ID_KEY) : cookie(ID_KEY);
  }

  function writeId(value) {
    var ls = inLocalStorage && local();
    if (!ls) return setCookie(ID_KEY, value || '', value ? ID_MAX_AGE_S : 0);
    value ? ls.setItem(ID_KEY, value) : ls.removeItem(ID_KEY);
  }

  function uuid() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = '';
    for (var i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (b[i] + 256).toString(16).slice(1);
    return h;
  }

  // Consent: granted unless required and not given; an opt-out sticks (a strictly necessary flag).
  var optedOut = cookie(OPT_OUT_KEY) === '1';
  var consented = !requireConsent;
  var anonymousId = readId() || uuid();

  function allowed() {
    return consented && !optedOut && !!endpoint;
  }

  function persist() {
    if (!allowed()) return;
    writeId(anonymousId);
    var ls = local();
    if (ls) {
      try {
        outbox.length ? ls.setItem(OUTBOX_KEY, JSON.stringify(outbox)) : ls.removeItem(OUTBOX_KEY);
      } catch (e) {
        // full or blocked: the events stay in memory
      }
    }
  }

  function timing() {
    var p = window.performance;
    var nav = p && p.getEntriesByType && p.getEntriesByType('navigation')[0];
    if (nav && nav.loadEventEnd > 0) return { page_load_ms: Math.round(nav.loadEventEnd), ttfb_ms: Math.round(nav.responseStart) };
    var t = p && p.timing;
    if (t && t.loadEventEnd > 0) return { page_load_ms: t.loadEventEnd - t.navigationStart, ttfb_ms: t.responseStart - t.navigationStart };
    return null;
  }

  function event(type, properties, url, referrer) {
    var e = {
      event_id: uuid(),
      event_type: String(type),
      event_time: new Date().toISOString(),
      anonymous_id: anonymousId,
      page: { url: url || location.href, referrer: referrer === undefined ? document.referrer : referrer, title: document.title },
      context: { locale: navigator.language, screen_width: screen.width, screen_height: screen.height }
    };
    if (userId) e.user_id = userId;
    if (properties && typeof properties === 'object') {
      for (var k in properties) {
        if (Object.prototype.hasOwnProperty.call(properties, k)) {
          e.properties = properties;
          break;
        }
      }
    }
    return e;
  }

  function enqueue(e) {
    if (optedOut) return;
    queue.push(e);
    if (queue.length >= batchSize) flush();
    else if (!flushTimer) flushTimer = setTimeout(flush, flushMs);
  }

  // batches cuts the queue into requests of at most batchSize events and MAX_BYTES.
  function batches(events) {
    var out = [];
    var current = [];
    var bytes = 2;
    events.forEach(function (e) {
      var size = JSON.stringify(e).length + 1;
      if (current.length && (current.length >= batchSize || bytes + size > MAX_BYTES)) {
        out.push({ events: current, attempts: 0 });
        current = [];
        bytes = 2;
      }
      current.push(e);
      bytes += size;
    });
    if (current.length) out.push({ events: current, attempts: 0 });
    return out;
  }

  function flush() {
    clearTimeout(flushTimer);
    flushTimer = null;
    if (!allowed()) return; // kept in memory until consent(true)
    outbox = outbox.concat(batches(queue.splice(0)));
    persist();
    send();
  }

  function post(events) {
    return window.fetch(endpoint, {
      method: 'POST',
      body: JSON.stringify(events),
      // text/plain keeps it a simple CORS request: no preflight.
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      keepalive: true,
      credentials: 'omit',
      mode: 'cors'
    }).then(function (r) {
      return r.status;
    }, function () {
      return 0; // network error: retry
    });
  }

  // send posts the oldest batch, one request at a time, in order. 2xx and client errors
  // other than 408/429 end a batch (a refused batch would be refused again); anything else
  // is retried with doubling, jittered backoff, with the same event ids.
  function send() {
    if (inFlight || retryTimer || !outbox.length || !allowed()) return;
    var batch = (inFlight = outbox[0]);
    post(batch.events).then(function (status) {
      inFlight = null;
      if (outbox[0] !== batch) return; // dropped meanwhile (opt-out, page hide)
      if ((status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 408 && status !== 429)) {
        outbox.shift();
        persist();
        return send();
      }
      batch.attempts++;
      persist();
      var delay = Math.min(MAX_RETRY_MS, retryMs * Math.pow(2, batch.attempts - 1));
      retryTimer = setTimeout(function () {
        retryTimer = null;
        send();
      }, delay / 2 + Math.random() * delay / 2);
    });
  }

  function beacon(events) {
    var body = JSON.stringify(events);
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return;
    window.fetch(endpoint, { method: 'POST', body: body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, keepalive: true, credentials: 'omit', mode: 'cors' })
      .catch(function () {});
  }

  // onHide hands what is left to the browser, which sends it after the page is gone. Batches
  // never tried are dropped from the outbox once handed over (no duplicates in normal
  // traffic); batches that already failed stay, and the next page sends them again: the ETL
  // keeps the first copy of an event_id.
  function onHide() {
    if (autoPageView && !pageViewSent) pageView();
    clearTimeout(flushTimer);
    flushTimer = null;
    if (!allowed()) return;
    outbox = outbox.concat(batches(queue.splice(0)));
    outbox = outbox.filter(function (b) {
      // An in-flight keepalive request carries its own batch; pagehide after visibilitychange
      // must not send a kept batch twice.
      if (b !== inFlight && !b.handedOver) beacon(b.events);
      b.handedOver = true;
      return b.attempts > 0;
    });
    persist();
  }

  function pageView() {
    pageViewSent = true;
    var e = event('page_view', null, landing, previousUrl);
    var t = timing();
    if (t) e.performance = t;
    enqueue(e);
  }

  var api = {
    track: function (name, properties) {
      enqueue(event(name, properties));
    },
    // page records a page view of the current URL (single-page applications).
    page: function () {
      var url = location.href;
      enqueue(event('page_view', null, url, previousUrl));
      previousUrl = url;
    },
    identify: function (id) {
      userId = id ? String(id) : null;
    },
    // consent(true) stores the id and sends what was tracked; consent(false) opts out: the id
    // and unsent events are deleted and nothing is tracked until consent(true).
    consent: function (granted) {
      if (granted) {
        optedOut = false;
        consented = true;
        setCookie(OPT_OUT_KEY, '', 0);
        flush();
        return;
      }
      optedOut = true;
      queue = [];
      outbox = [];
      writeId(null);
      var ls = local();
      if (ls) ls.removeItem(OUTBOX_KEY);
      setCookie(OPT_OUT_KEY, '1', ID_MAX_AGE_S);
      anonymousId = uuid();
    },
    flush: flush,
    // pending is the number of events not yet acknowledged by the collector, counting the
    // automatic page view until it is recorded.
    pending: function () {
      return outbox.reduce(function (n, b) {
        return n + b.events.length;
      }, queue.length + (autoPageView && !pageViewSent ? 1 : 0));
    }
  };
  window.clickstream = api;

  // Batches a previous page could not deliver.
  var ls = allowed() && local();
  if (ls) {
    try {
      outbox = JSON.parse(ls.getItem(OUTBOX_KEY) || '[]').map(function (b) {
        return { events: b.events, attempts: b.attempts };
      });
    } catch (e) {
      outbox = [];
    }
  }
  persist();
  send();

  if (autoPageView) {
    // After the load event, so Navigation Timing has the load time.
    var afterLoad = function () {
      setTimeout(function () {
        if (!pageViewSent) pageView();
      }, 0);
    };
    if (document.readyState === 'complete') afterLoad();
    else window.addEventListener('load', afterLoad);
  }
  window.addEventListener('pagehide', onHide);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') onHide();
  });
})(window, document);

// The dashboard page, its script and its style: served from memory (no external assets, works offline), no
// framework. Data is only ever put into the page with textContent, never as HTML.

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fabrik</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_fabrik/dashboard.css">
</head>
<body>
<header><h1>Fabrik</h1><span id="status">connecting…</span></header>
<section class="cards">
  <div class="card"><div class="label">hit rate today</div><div class="value" id="hit-rate">-</div></div>
  <div class="card"><div class="label">requests today</div><div class="value" id="requests">0</div></div>
  <div class="card"><div class="label">requests / s</div><div class="value" id="rate">0</div></div>
  <div class="card"><div class="label">time saved today</div><div class="value" id="saved">-</div></div>
</section>
<h2>Tools (today)</h2>
<table id="tools"><thead><tr><th>tool</th><th>requests</th><th>hits</th><th>misses</th><th>errors</th><th>hit rate</th><th>served</th><th>time saved</th></tr></thead><tbody></tbody></table>
<h2>Layers</h2>
<table id="layers"><thead><tr><th>layer</th><th>state</th><th>hits today</th><th>latency</th><th>upload queue</th></tr></thead><tbody></tbody></table>
<h2>Peers</h2>
<table id="peers"><thead><tr><th>peer</th><th>address</th><th>consent</th><th></th></tr></thead><tbody></tbody></table>
<p id="no-peers" class="muted">No peers (P2P is off or nobody is nearby).</p>
<h2>Recent requests</h2>
<table id="recent"><thead><tr><th>time</th><th>tool</th><th>op</th><th>result</th><th>ms</th><th>bytes</th></tr></thead><tbody></tbody></table>
<script src="/_fabrik/dashboard.js"></script>
</body>
</html>
`

export const DASHBOARD_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2433; background: #f7f8fa; }
header { display: flex; align-items: baseline; gap: 1rem; }
h1 { margin: 0; font-size: 1.4rem; }
h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
#status { color: #6b7385; }
.cards { display: flex; gap: 1rem; margin-top: 1rem; flex-wrap: wrap; }
.card { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: .75rem 1rem; min-width: 10rem; }
.label { color: #6b7385; font-size: .8rem; }
.value { font-size: 1.5rem; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; background: #fff; border: 1px solid #dde1e8; min-width: 40rem; }
th, td { padding: .3rem .7rem; text-align: right; border-bottom: 1px solid #eef0f4; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
th { background: #f0f2f6; font-weight: 600; }
.muted { color: #6b7385; }
.online { color: #1a7f37; } .offline { color: #cf222e; } .probing { color: #9a6700; }
button { margin-left: .3rem; }
`

export const DASHBOARD_JS = `'use strict';
(function () {
  var last = null;
  function el(id) { return document.getElementById(id); }
  function bytes(n) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
  }
  function dur(ms) {
    if (!ms) return '-';
    if (ms < 1000) return Math.round(ms) + ' ms';
    var s = ms / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    var m = Math.floor(s / 60);
    return m < 60 ? m + 'm ' + Math.round(s % 60) + 's' : Math.floor(m / 60) + 'h ' + (m % 60) + 'm';
  }
  function pct(r) { return r === null || r === undefined ? '-' : (r * 100).toFixed(1) + '%'; }
  function fill(id, rows) {
    var body = el(id).tBodies[0];
    body.textContent = '';
    rows.forEach(function (cells) {
      var tr = document.createElement('tr');
      cells.forEach(function (c) {
        var td = document.createElement('td');
        if (c instanceof Node) td.appendChild(c); else td.textContent = String(c);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function decide(id, decision) {
    fetch('/_fabrik/api/peers/' + encodeURIComponent(id) + '/' + decision, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin'
    }).then(function (r) { el('status').textContent = r.ok ? decision + 'd ' + id : 'could not ' + decision + ' ' + id; refresh(); });
  }
  function button(label, id, decision) {
    var b = document.createElement('button');
    b.textContent = label;
    b.dataset.peer = id;
    b.dataset.decision = decision;
    b.addEventListener('click', function () { decide(id, decision); });
    return b;
  }
  function render(s) {
    var t = s.today;
    var total = t ? t.total : null;
    el('hit-rate').textContent = total ? pct(total.hitRate) : '-';
    el('requests').textContent = total ? String(total.requests) : '0';
    el('saved').textContent = total ? dur(total.savedMs) : '-';
    if (last && total && last.total) {
      var secs = (Date.parse(s.now) - Date.parse(last.now)) / 1000;
      if (secs > 0) el('rate').textContent = ((total.requests - last.total.requests) / secs).toFixed(1);
    }
    last = { now: s.now, total: total };
    fill('tools', t ? t.tools.map(function (x) {
      return [x.tool, x.requests, x.hits, x.misses, x.errors, pct(x.hitRate), bytes(x.bytesOut), dur(x.savedMs)];
    }) : []);
    var hitsBy = {};
    (t ? t.layers : []).forEach(function (l) { hitsBy[l.layer] = l.hits; });
    var layers = [['local', 'online', hitsBy.local || 0, '-', '-']];
    s.layers.forEach(function (l) {
      var state = document.createElement('span');
      state.className = l.state;
      state.textContent = l.state;
      var q = l.queue ? (l.queue.entries + ' (' + bytes(l.queue.bytes) + ')') : '-';
      layers.push([l.name, state, hitsBy[l.name] || 0, l.latency_ms === null ? '-' : l.latency_ms + ' ms', q]);
    });
    fill('layers', layers);
    fill('peers', s.peers.map(function (p) {
      var actions = document.createElement('span');
      if (p.consent !== 'approved') actions.appendChild(button('Approve', p.id, 'approve'));
      if (p.consent !== 'denied') actions.appendChild(button('Deny', p.id, 'deny'));
      return [p.name || p.id, p.address || '', p.consent, actions];
    }));
    el('no-peers').hidden = s.peers.length > 0;
    fill('recent', s.recent.map(function (r) {
      return [new Date(r.at).toLocaleTimeString(), r.tool, r.method, r.outcome, r.ms, bytes(r.bytes)];
    }));
  }
  function refresh() {
    fetch('/_fabrik/api/state', { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) render(s); });
  }
  refresh();
  var es = new EventSource('/_fabrik/api/events');
  es.onopen = function () { el('status').textContent = 'live'; };
  es.onerror = function () { el('status').textContent = 'disconnected; retrying…'; };
  es.onmessage = function (e) { render(JSON.parse(e.data)); };
})();
`

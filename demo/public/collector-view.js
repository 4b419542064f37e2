// Live view of /collector/events.json: polls once a second and renders a table.
(function () {
  'use strict';
  var rows = document.getElementById('collector-rows');
  var stats = document.getElementById('collector-stats');
  var wk = document.getElementById('filter-wk');
  var invalidOnly = document.getElementById('filter-invalid');
  var seen = 0;

  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function render(data) {
    var list = data.events
      .filter(function (l) {
        return !invalidOnly.checked || !l.valid;
      })
      .slice(-500)
      .reverse();
    rows.textContent = '';
    list.forEach(function (l, i) {
      var e = l.event || {};
      var tr = document.createElement('tr');
      if (!l.valid) tr.className = 'invalid';
      if (data.events.length > seen && i < data.events.length - seen) tr.className += ' fresh';
      cell(tr, (l.receivedAt || '').replace('T', ' ').replace('Z', ''));
      cell(tr, l.writeKey);
      cell(tr, e.type || '?');
      cell(tr, e.event || (e.type === 'page' ? e.name || (e.properties && e.properties.slug) || '' : ''));
      cell(tr, JSON.stringify(e.properties || {}, null, 1), 'props');
      cell(tr, l.valid ? '✓' : '✗ ' + l.problems.join('; '));
      rows.appendChild(tr);
    });
    seen = data.events.length;
    stats.textContent =
      data.events.length +
      ' events · ' +
      data.requests +
      ' requests · ' +
      data.preflights +
      ' preflights · ' +
      data.invalid +
      ' invalid';
  }

  function poll() {
    var q = wk.value.trim() ? '?writeKey=' + encodeURIComponent(wk.value.trim()) : '';
    fetch('/collector/events.json' + q, { cache: 'no-store' })
      .then(function (r) {
        return r.json();
      })
      .then(render)
      .catch(function (err) {
        stats.textContent = 'poll failed: ' + err.message;
      })
      .then(function () {
        setTimeout(poll, 1000);
      });
  }

  document.getElementById('collector-reset').addEventListener('click', function () {
    var q = wk.value.trim() ? '?writeKey=' + encodeURIComponent(wk.value.trim()) : '';
    fetch('/collector/reset' + q, { method: 'POST' }).then(function () {
      seen = 0;
    });
  });
  wk.addEventListener('input', function () {
    seen = 0;
  });
  poll();
})();

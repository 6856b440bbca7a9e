// The store dashboard: polls /stats.json every two seconds and draws the numbers and the live-session chart.
// No library: the chart is a hand-made SVG polyline.
(function () {
  'use strict';

  const POLL_MILLIS = 2000;
  const SVG = 'http://www.w3.org/2000/svg';
  const CHART = { width: 600, height: 180, left: 40, right: 10, top: 10, bottom: 24 };

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function count(value) {
    return value === null || value === undefined ? '\u2013' : Number(value).toLocaleString('en');
  }

  function svg(name, attributes, content) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) {
      element.setAttribute(key, value);
    }
    if (content !== undefined) {
      element.textContent = content;
    }
    return element;
  }

  // The samples, oldest first, then the current count as the "now" point.
  function drawChart(history, liveNow) {
    const chart = document.getElementById('chart');
    chart.replaceChildren();
    const points = history.live.concat([liveNow]);
    const plotWidth = CHART.width - CHART.left - CHART.right;
    const plotHeight = CHART.height - CHART.top - CHART.bottom;
    const top = niceCeiling(Math.max(2, ...points));
    const slots = Math.max(points.length - 1, 1);
    const x = (i) => CHART.left + (points.length === 1 ? plotWidth : (i / slots) * plotWidth);
    const y = (v) => CHART.top + plotHeight - (v / top) * plotHeight;

    for (const v of [0, Math.round(top / 2), top]) {
      chart.appendChild(svg('line', { x1: CHART.left, x2: CHART.width - CHART.right, y1: y(v), y2: y(v),
        class: 'grid' }));
      chart.appendChild(svg('text', { x: CHART.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' },
        String(v)));
    }
    const seconds = (points.length - 2) * history.intervalSeconds;
    chart.appendChild(svg('text', { x: CHART.left, y: CHART.height - 6, class: 'axis' },
      seconds > 0 ? '-' + formatSpan(seconds) : ''));
    chart.appendChild(svg('text', { x: CHART.width - CHART.right, y: CHART.height - 6, 'text-anchor': 'end',
      class: 'axis' }, 'now'));
    text('chart-span', (seconds > 0 ? 'over the last ' + formatSpan(seconds) + ', ' : '') + 'one point every ' +
      history.intervalSeconds + ' s');

    const coordinates = points.map((v, i) => x(i) + ',' + y(v));
    const area = [CHART.left + ',' + y(0)].concat(coordinates, [x(points.length - 1) + ',' + y(0)]);
    chart.appendChild(svg('polygon', { points: area.join(' '), class: 'area' }));
    chart.appendChild(svg('polyline', { points: coordinates.join(' '), class: 'line' }));
    const last = points.length - 1;
    chart.appendChild(svg('circle', { cx: x(last), cy: y(points[last]), r: 3.5, class: 'dot' }));
  }

  // The smallest of 1, 2, 2.5, 5 times a power of ten that is at least the value: round numbers on the axis.
  function niceCeiling(value) {
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  function formatSpan(seconds) {
    if (seconds < 120) {
      return seconds + ' s';
    }
    return Math.round(seconds / 60) + ' min';
  }

  function render(stats) {
    const config = stats.config;
    text('config', 'backend ' + config.backend + ' \u00b7 cache ' + config.cache + ' \u00b7 ' +
      (config.maximumSessions > 0 ? 'at most ' + config.maximumSessions + ' sessions' : 'unbounded') +
      ' \u00b7 timeout ' + config.sessionTimeoutSeconds + ' s \u00b7 sweep every ' +
      config.sweepIntervalSeconds + ' s');
    // The snapshot file by its name; the full path, which can be long, in the tooltip.
    document.getElementById('snapshot').hidden = config.snapshot === null;
    if (config.snapshot !== null) {
      const file = document.getElementById('snapshot-file');
      file.textContent = config.snapshot.split(/[\\/]/).pop();
      file.title = config.snapshot;
    }
    text('live', count(stats.sessions.live));
    text('created', count(stats.sessions.created));
    text('expired', count(stats.sessions.expired));
    text('sweeps', count(stats.sweeps.count));
    text('sweep-detail', stats.sweeps.lastDurationMillis === null ? 'none yet'
      : 'last took ' + stats.sweeps.lastDurationMillis.toFixed(2) + ' ms, ' + count(stats.sweeps.removed) +
        ' removed in all');
    text('misses', count(stats.syncMap.misses));
    text('promotions', count(stats.syncMap.promotions));
    const source = stats.syncMap.source === null ? 'no SyncMap here'
      : stats.syncMap.source === 'store' ? 'SyncMap of the store' : 'SyncMap of the cache';
    text('snapshot-age', stats.snapshotAgeSeconds === null ? 'none yet'
      : Math.round(stats.snapshotAgeSeconds) + ' s');
    text('misses-detail', source);
    text('promotions-detail', source);
    drawChart(stats.history, stats.sessions.live);
    text('status', 'updated ' + new Date(stats.timeMillis).toLocaleTimeString('en-GB'));
    document.body.dataset.loaded = 'true';
  }

  async function poll() {
    try {
      const response = await fetch('/stats.json', { cache: 'no-store' });
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      render(await response.json());
    } catch (error) {
      text('status', 'offline (' + error.message + '), retrying');
    }
    setTimeout(poll, POLL_MILLIS);
  }

  poll();
}());

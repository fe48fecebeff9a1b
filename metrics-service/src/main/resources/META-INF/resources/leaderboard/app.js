// ESRP leaderboard page: plain browser JavaScript, no build step, no framework; charts by ECharts from the WebJar.
// Talks to metrics-service (same origin, one folder up from this script): the leaderboard arrives as server-sent
// events (at once, then whenever the study's data change); the diversity measures are fetched after each of them.
(() => {
  'use strict';

  // The page lives at <service root>/leaderboard/, so the API root is one folder above this script.
  const API_ROOT = new URL('../', (document.currentScript && document.currentScript.src) || window.location.href);

  // The default rubric's labels; a study's own rubric (board.rubric) replaces these columns, keeping a label known here.
  const DEFAULT_METRICS = [
    { key: 'fluency', zh: '流畅性', en: 'Fluency' },
    { key: 'coherency', zh: '连贯性', en: 'Coherency' },
    { key: 'consistency', zh: '一致性', en: 'Consistency' },
    { key: 'characterKnowledge', zh: '角色知识', en: 'Character knowledge' },
    { key: 'speechStyle', zh: '说话风格', en: 'Speech style' },
    { key: 'behavioralHabit', zh: '行为习惯', en: 'Behavioral habit' },
    { key: 'demandMatching', zh: '需求匹配', en: 'Demand matching' },
    { key: 'experienceSharing', zh: '经历分享', en: 'Experience sharing' },
    { key: 'emotionalValue', zh: '情绪价值', en: 'Emotional value' },
  ];
  const DEFAULT_DIMENSIONS = [
    { key: 'basicDialogue', zh: '基础对话', en: 'Basic dialogue' },
    { key: 'rolePlaying', zh: '角色扮演', en: 'Role-playing' },
    { key: 'emotionalSupport', zh: '情感支持', en: 'Emotional support' },
  ];
  const OVERALL = { key: 'overall', zh: '总分', en: 'Overall' };
  let METRICS = DEFAULT_METRICS;
  let DIMENSIONS = DEFAULT_DIMENSIONS;
  // The scores of the human-baseline table, in this order.
  let SCORES = [OVERALL, ...DIMENSIONS];

  const DIVERSITY_MIN_INTERVAL_MS = 2000; // at most one diversity request per 2 s
  const RECONNECT_DELAYS_MS = [1000, 2000, 3000, 5000]; // then 5 s for good
  let LEADERBOARD_COLUMNS = 9 + 2 * DIMENSIONS.length;
  const DASH = '—';

  // Responders keep their colour across updates and charts; fans are drawn dark and dashed.
  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d',
    '#ea580c', '#4f46e5', '#0d9488', '#9333ea', '#b45309', '#be123c', '#0369a1'];
  const HUMAN_COLOR = '#1f2328';
  const MEASURE_COLORS = { distinct2: '#2563eb', selfBleu: '#d97706', human: '#16a34a' };

  const $ = (id) => document.getElementById(id);

  const state = {
    study: null,
    raterKind: null,
    rubricSignature: null,
    source: null,
    reconnectTimer: null,
    reconnectAttempt: 0,
    board: null,
    diversity: null,
    comparisons: null,
    charts: {},
    colors: new Map(),
    legendSelected: {}, // per chart: the legend entries the reader switched off stay off across updates
  };

  // ---------------------------------------------------------------- small utilities

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, String(value));
      }
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function isNumber(value) {
    return typeof value === 'number' && Number.isFinite(value);
  }

  function fmt(value, digits) {
    return isNumber(value) ? value.toFixed(digits === undefined ? 2 : digits) : DASH;
  }

  function fmtSigned(value, digits) {
    if (!isNumber(value)) return DASH;
    const text = value.toFixed(digits === undefined ? 2 : digits);
    return value > 0 && Number(text) !== 0 ? `+${text}` : text;
  }

  function fmtCi(low, high, digits) {
    if (!isNumber(low) && !isNumber(high)) return DASH;
    return `[${fmt(low, digits)}, ${fmt(high, digits)}]`;
  }

  function fmtP(p) {
    if (!isNumber(p)) return DASH;
    if (p < 0.001) return '< 0.001';
    return p.toFixed(3);
  }

  function estimateOf(value) {
    return value && typeof value === 'object' ? value : { mean: null, low: null, high: null, n: 0 };
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function nameOf(row) {
    if (row.responderName) return row.responderName;
    return row.responderId ? String(row.responderId).slice(0, 8) : '?';
  }

  function colorOf(responderId, kind) {
    if (kind === 'HUMAN') return HUMAN_COLOR;
    const key = String(responderId);
    if (!state.colors.has(key)) {
      state.colors.set(key, PALETTE[state.colors.size % PALETTE.length]);
    }
    return state.colors.get(key);
  }

  function kindBadge(kind) {
    return el('span', { class: `kind kind-${String(kind || 'unknown').toLowerCase()}` }, kind || DASH);
  }

  function placeholder(tbody, columns, text) {
    const row = el('tr', { class: 'empty' });
    row.append(el('td', { colspan: columns }, text));
    tbody.replaceChildren(row);
  }

  // ---------------------------------------------------------------- status and messages

  const STATUS_TEXT = {
    connecting: '连接中… connecting',
    connected: '已连接 · connected',
    reconnecting: '重新连接中… reconnecting',
    stopped: '未连接 · not connected',
  };

  function setStatus(status) {
    const box = $('status');
    if (box.dataset.state === status) return;
    box.dataset.state = status;
    box.textContent = STATUS_TEXT[status] || status;
  }

  function setUpdated() {
    const now = new Date();
    const box = $('updated');
    box.dateTime = now.toISOString();
    box.textContent = now.toLocaleTimeString('zh-CN', { hour12: false });
    box.title = now.toString();
  }

  function showMessage(text, kind, source) {
    const box = $('message');
    box.textContent = text;
    box.dataset.kind = kind || 'error';
    if (source) box.dataset.source = source;
    else delete box.dataset.source;
    box.hidden = false;
  }

  /** Clears the message, or only the one a given source showed. */
  function clearMessage(source) {
    const box = $('message');
    if (source && box.dataset.source !== source) return;
    box.hidden = true;
    box.textContent = '';
    delete box.dataset.kind;
    delete box.dataset.source;
  }

  // ---------------------------------------------------------------- the leaderboard stream

  function streamUrl() {
    const url = new URL(`studies/${encodeURIComponent(state.study)}/leaderboard/stream`, API_ROOT);
    if (state.raterKind) url.searchParams.set('raterKind', state.raterKind);
    return url;
  }

  function connect() {
    if (state.reconnectTimer) {
      clearTimeout(state.reconnectTimer);
      state.reconnectTimer = null;
    }
    if (state.source) state.source.close();
    const source = new EventSource(streamUrl());
    state.source = source;
    source.addEventListener('open', () => {
      if (state.source !== source) return;
      state.reconnectAttempt = 0;
      setStatus('connected');
      clearMessage('stream');
    });
    source.addEventListener('message', (event) => {
      if (state.source !== source) return;
      let board;
      try {
        board = JSON.parse(event.data);
      } catch (e) {
        console.warn('leaderboard event is not JSON', e);
        return;
      }
      if (!board || typeof board !== 'object') return;
      state.reconnectAttempt = 0;
      setStatus('connected');
      onLeaderboard(board);
    });
    source.addEventListener('error', () => {
      if (state.source !== source) return;
      setStatus('reconnecting');
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an HTTP error such as 404 before the study's
      // first event, or a wrong content type), so the page retries, quietly and with a growing pause.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        state.source = null;
        scheduleReconnect();
        explainClosedStream();
      }
    });
  }

  /**
   * An EventSource does not tell why it gave up. Asks once more with fetch, for the status only: 404 (the study has
   * no events yet) stays quiet; any other error is shown, since retrying will not cure it by itself.
   */
  async function explainClosedStream() {
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    try {
      const response = await fetch(streamUrl(), {
        headers: { Accept: 'text/event-stream' },
        cache: 'no-store',
        credentials: 'same-origin', // the access cookie
        signal: abort ? abort.signal : undefined,
      });
      if (response.ok || response.status === 404) {
        if (abort) abort.abort(); // only the status was wanted, not the stream
        return;
      }
      if (response.status === 401 || response.status === 403) {
        askForToken(response.status);
        return;
      }
      let detail = '';
      try {
        const problem = JSON.parse(await response.text());
        detail = (problem && (problem.detail || problem.title)) || '';
      } catch (e) {
        detail = '';
      }
      if (!state.source || state.source.readyState !== EventSource.OPEN) {
        showMessage(`排行榜数据流出错，正在重试 · The leaderboard stream failed (HTTP ${response.status}), retrying.`
          + (detail ? `\n${detail}` : ''), 'warn', 'stream');
      }
    } catch (e) {
      // unreachable server: the status line already says "reconnecting"
    }
  }

  function scheduleReconnect() {
    if (state.reconnectTimer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(state.reconnectAttempt, RECONNECT_DELAYS_MS.length - 1)];
    state.reconnectAttempt++;
    state.reconnectTimer = setTimeout(() => {
      state.reconnectTimer = null;
      connect();
    }, delay);
  }

  function onLeaderboard(board) {
    state.board = board;
    document.body.dataset.state = 'live';
    applyRubric(board.rubric);
    renderLeaderboard(board);
    renderBaseline(board);
    renderRadar(board);
    if (state.diversity) renderDiversity(state.diversity); // keeps the leaderboard's order
    setUpdated();
    requestDiversity();
    requestComparisons();
  }

  /** The rows of the leaderboard, all groups together (one group, value null, unless grouped). */
  function boardRows(board) {
    const groups = board && Array.isArray(board.groups) ? board.groups : [];
    return groups.flatMap((g) => (g && Array.isArray(g.rows) ? g.rows : []));
  }

  // ---------------------------------------------------------------- tables

  /** The study's own metrics and dimensions (as the leaderboard lists them) become the columns; the header follows. */
  function applyRubric(rubric) {
    if (!Array.isArray(rubric) || rubric.length === 0) return;
    const signature = JSON.stringify(rubric.map((m) => [m.key, m.dimension]));
    if (signature === state.rubricSignature) return;
    state.rubricSignature = signature;
    const label = (known, key, name) => known.find((k) => k.key === key) || { key, zh: name || key, en: '' };
    METRICS = rubric.map((m) => ({ ...label(DEFAULT_METRICS, m.key, m.name), min: m.min, max: m.max }));
    DIMENSIONS = [];
    for (const m of rubric) {
      if (!DIMENSIONS.some((d) => d.key === m.dimension)) {
        DIMENSIONS.push(label(DEFAULT_DIMENSIONS, m.dimension, m.dimensionName));
      }
    }
    SCORES = [OVERALL, ...DIMENSIONS];
    LEADERBOARD_COLUMNS = 9 + 2 * DIMENSIONS.length;
    const [groups, subs] = $('leaderboard').tHead.rows;
    groups.querySelectorAll('[data-dimension-head]').forEach((th) => th.remove());
    subs.querySelectorAll('[data-dimension-head]').forEach((th) => th.remove());
    for (const d of DIMENSIONS) {
      const th = el('th', { colspan: 2, scope: 'colgroup', class: 'group', 'data-dimension-head': d.key }, `${d.zh} `);
      if (d.en) th.append(el('span', { class: 'en' }, d.en));
      groups.append(th);
      subs.append(el('th', { scope: 'col', class: 'num sub', 'data-dimension-head': d.key }, '均值 mean'),
        el('th', { scope: 'col', class: 'sub', 'data-dimension-head': d.key }, '95% CI'));
    }
  }

  function renderLeaderboard(board) {
    const tbody = $('leaderboard').tBodies[0];
    const groups = Array.isArray(board.groups) ? board.groups : [];
    const grouped = groups.length > 1 || groups.some((g) => g && g.value !== null && g.value !== undefined);
    const rows = [];
    for (const group of groups) {
      if (!group) continue;
      if (grouped) {
        const head = el('tr', { class: 'group-row', 'data-group': group.value });
        head.append(el('th', { colspan: LEADERBOARD_COLUMNS, scope: 'rowgroup' }, group.value === null ? DASH : group.value));
        rows.push(head);
      }
      for (const row of group.rows || []) {
        rows.push(leaderboardRow(row));
      }
    }
    if (rows.length === 0) {
      placeholder(tbody, LEADERBOARD_COLUMNS, '暂无评分 · No ratings yet');
    } else {
      tbody.replaceChildren(...rows);
    }
    $('interval').textContent = board.interval ? `区间 Intervals: ${board.interval}` : '';
    const kind = board.raterKind || state.raterKind;
    $('rater-kind').textContent = kind || '';
    $('rater-kind-line').hidden = !kind;
  }

  // Where the cluster bootstrap puts the row (comparisons view, ranked by overall): 1 is the best.
  function rankInterval(row) {
    const key = row.responderId ? String(row.responderId) : 'human-fans';
    const ranked = state.comparisons && state.comparisons.responders.find((r) => r.key === key);
    if (!ranked || !isNumber(ranked.rankLow) || !isNumber(ranked.rankHigh)) return DASH;
    return ranked.rankLow === ranked.rankHigh ? String(ranked.rankLow) : `${ranked.rankLow}–${ranked.rankHigh}`;
  }

  function rankTitle() {
    const b = state.comparisons && state.comparisons.bootstrap;
    return b ? `${Math.round(b.confidence * 100)}% rank interval, ${b.resamples} resamples, seed ${b.seed}: ${b.method}` : null;
  }

  // The pairs a row shares with each other responder of the table: paired statistics use only these.
  function sharedTitle(row) {
    const names = new Map(boardRows(state.board || {}).map((r) => [String(r.responderId), nameOf(r)]));
    return Object.entries(row.sharedPairs || {})
      .map(([id, n]) => `${names.get(id) || id.slice(0, 8)}: ${n}`)
      .join('\n') || null;
  }

  function leaderboardRow(row) {
    const name = nameOf(row);
    const tr = el('tr', {
      'data-responder': name,
      'data-responder-id': row.responderId,
      'data-kind': row.kind,
      'data-rank': row.rank,
    });
    tr.append(el('td', { class: 'rank num' }, isNumber(row.rank) ? row.rank : DASH));
    tr.append(el('td', { class: 'rank-interval num', title: rankTitle() }, rankInterval(row)));

    const who = el('td', { class: 'responder' });
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = colorOf(row.responderId, row.kind);
    who.append(swatch, el('span', { class: 'name' }, name));
    if (row.modelName && row.modelName !== name) {
      who.append(el('span', { class: 'model' }, row.modelName));
    }
    tr.append(who);

    const kind = el('td', { class: 'kind-cell' });
    kind.append(kindBadge(row.kind));
    tr.append(kind);
    tr.append(el('td', { class: 'dialogues num' }, isNumber(row.dialogues) ? row.dialogues : DASH));
    tr.append(el('td', { class: 'ratings num' }, isNumber(row.ratings) ? row.ratings : DASH));
    tr.append(el('td', { class: 'pairs-with-humans num', title: sharedTitle(row) },
      isNumber(row.pairsWithHumans) ? row.pairsWithHumans : DASH));

    const overall = estimateOf(row.overall);
    tr.append(el('td', { class: 'overall-mean num mean', title: `n = ${overall.n}` }, fmt(overall.mean)));
    tr.append(el('td', { class: 'overall-ci ci' }, fmtCi(overall.low, overall.high)));
    const dimensions = row.dimensions || {};
    for (const d of DIMENSIONS) {
      const e = estimateOf(dimensions[d.key]);
      tr.append(el('td', { class: 'dimension-mean num mean', 'data-dimension': d.key, title: `n = ${e.n}` }, fmt(e.mean)));
      tr.append(el('td', { class: 'dimension-ci ci', 'data-dimension': d.key }, fmtCi(e.low, e.high)));
    }
    return tr;
  }

  function renderBaseline(board) {
    const tbody = $('baseline').tBodies[0];
    const baseline = board.humanBaseline;
    const caption = $('baseline-caption');
    if (!baseline || !Array.isArray(baseline.rows)) {
      caption.textContent = '';
      placeholder(tbody, 8, '暂无人类基线 · No human baseline yet (no rated answers of a HUMAN responder)');
      return;
    }
    const fans = (baseline.humanResponderNames || []).filter(Boolean).join(', ') || DASH;
    const count = (baseline.humanResponderIds || []).length;
    caption.textContent = `回答者减去人类粉丝（${count} 位，合并）· Responder minus the ${count} human fan(s) pooled (${fans}), `
      + `on ${isNumber(baseline.pairs) ? baseline.pairs : DASH} (character, scenario) pairs. ${baseline.test || ''}`;

    // Responders in leaderboard order, the scores in SCORES order.
    const rank = new Map(boardRows(board).map((r, i) => [String(r.responderId), i]));
    const scoreOrder = new Map(SCORES.map((s, i) => [s.key, i]));
    const byResponder = new Map();
    for (const row of baseline.rows) {
      const key = String(row.responderId);
      if (!byResponder.has(key)) byResponder.set(key, []);
      byResponder.get(key).push(row);
    }
    const responders = [...byResponder.keys()].sort((a, b) => {
      const ra = rank.has(a) ? rank.get(a) : Number.MAX_SAFE_INTEGER;
      const rb = rank.has(b) ? rank.get(b) : Number.MAX_SAFE_INTEGER;
      return ra - rb || a.localeCompare(b);
    });
    const rows = [];
    for (const responder of responders) {
      const comparisons = byResponder.get(responder).slice().sort((a, b) =>
        (scoreOrder.has(a.score) ? scoreOrder.get(a.score) : 99) - (scoreOrder.has(b.score) ? scoreOrder.get(b.score) : 99));
      comparisons.forEach((c, i) => {
        const significant = isNumber(c.pHolm) && c.pHolm < 0.05;
        const name = nameOf(c);
        const tr = el('tr', {
          'data-responder': name,
          'data-responder-id': c.responderId,
          'data-score': c.score,
          class: [i === 0 ? 'first' : '', significant ? 'significant' : ''].filter(Boolean).join(' ') || null,
        });
        if (i === 0) {
          const who = el('th', { scope: 'rowgroup', rowspan: comparisons.length, class: 'responder' });
          who.append(el('span', { class: 'name' }, name));
          tr.append(who);
        }
        const score = SCORES.find((s) => s.key === c.score);
        tr.append(el('td', { class: 'score' }, score ? `${score.zh} ${score.en}` : c.score));
        tr.append(el('td', { class: 'pairs num' }, isNumber(c.pairs) ? c.pairs : DASH));
        const diff = el('td', { class: 'mean-difference num' }, fmtSigned(c.meanDifference));
        if (significant && isNumber(c.meanDifference) && c.meanDifference !== 0) {
          diff.classList.add(c.meanDifference > 0 ? 'better' : 'worse');
        }
        tr.append(diff);
        tr.append(el('td', { class: 'ci' }, fmtCi(c.low, c.high)));
        tr.append(el('td', { class: 'p num', title: c.method || '' }, fmtP(c.pValue)));
        tr.append(el('td', { class: 'p-holm num' }, fmtP(c.pHolm)));
        const marker = el('td', { class: 'sig' });
        if (significant) {
          const better = isNumber(c.meanDifference) && c.meanDifference > 0;
          marker.append(el('span', {
            class: `significant-marker ${better ? 'better' : 'worse'}`,
            title: better ? '显著高于人类基线 · significantly above the human baseline (Holm p < 0.05)'
              : '显著低于人类基线 · significantly below the human baseline (Holm p < 0.05)',
          }, better ? '▲ *' : '▼ *'));
        }
        tr.append(marker);
        rows.push(tr);
      });
    }
    if (rows.length === 0) {
      placeholder(tbody, 8, '暂无可比较的配对 · No pairs to compare yet');
    } else {
      tbody.replaceChildren(...rows);
    }
  }

  function renderDiversityTable(rows) {
    const tbody = $('diversity-table').tBodies[0];
    if (rows.length === 0) {
      placeholder(tbody, 7, '暂无回答 · No answers yet');
      return;
    }
    tbody.replaceChildren(...rows.map((row) => {
      const name = nameOf(row);
      const tr = el('tr', { 'data-responder': name, 'data-responder-id': row.responderId, 'data-kind': row.kind });
      const who = el('td', { class: 'responder' });
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colorOf(row.responderId, row.kind);
      who.append(swatch, el('span', { class: 'name' }, name));
      tr.append(who);
      const kind = el('td', { class: 'kind-cell' });
      kind.append(kindBadge(row.kind));
      tr.append(kind);
      tr.append(el('td', { class: 'distinct1 num' }, fmt(row.distinct1, 3)));
      tr.append(el('td', { class: 'distinct2 num' }, fmt(row.distinct2, 3)));
      tr.append(el('td', { class: 'distinct2-length-controlled num' }, fmt(row.distinct2LengthControlled, 3)));
      tr.append(el('td', { class: 'self-bleu num' }, fmt(row.selfBleu, 3)));
      const human = estimateOf(row.humanDiversityRating);
      let text = fmt(human.mean);
      if (isNumber(human.mean)) {
        if (isNumber(human.low) || isNumber(human.high)) text += ` ${fmtCi(human.low, human.high)}`;
        text += ` (n = ${isNumber(human.n) ? human.n : DASH})`;
      }
      tr.append(el('td', { class: 'human-rating' }, text));
      return tr;
    }));
  }

  // ---------------------------------------------------------------- charts

  function chart(id) {
    if (state.charts[id]) return state.charts[id];
    const box = $(id);
    if (!window.echarts) {
      if (!box.querySelector('.chart-error')) {
        box.replaceChildren(el('p', { class: 'chart-error hint' }, '图表库未能加载 · The chart library (ECharts) did not load.'));
      }
      return null;
    }
    const instance = window.echarts.init(box, null, { renderer: 'canvas' });
    instance.on('finished', () => {
      box.dataset.rendered = 'true';
    });
    state.legendSelected[id] = {};
    instance.on('legendselectchanged', (event) => {
      state.legendSelected[id] = Object.assign({}, event.selected);
    });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => instance.resize()).observe(box);
    } else {
      window.addEventListener('resize', () => instance.resize());
    }
    state.charts[id] = instance;
    return instance;
  }

  function renderRadar(board) {
    const radar = chart('radar');
    if (!radar) return;
    const rows = boardRows(board);
    const names = rows.map(nameOf);
    const tooltip = (params) => {
      const row = rows[params.dataIndex];
      if (!row) return '';
      const metrics = row.metrics || {};
      const lines = METRICS.map((m) => {
        const e = estimateOf(metrics[m.key]);
        return `${escapeHtml(m.zh)} <span style="color:#59636e">${escapeHtml(m.en)}</span>: `
          + `<b>${fmt(e.mean)}</b> ${fmtCi(e.low, e.high)}`;
      });
      const overall = estimateOf(row.overall);
      return `<b>${escapeHtml(nameOf(row))}</b> (${escapeHtml(row.kind || DASH)}, n = ${overall.n})<br>`
        + `${lines.join('<br>')}<br>总分 Overall: <b>${fmt(overall.mean)}</b> ${fmtCi(overall.low, overall.high)}`;
    };
    radar.setOption({
      animationDuration: 400,
      animationDurationUpdate: 300,
      textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
      tooltip: { trigger: 'item', confine: true, formatter: tooltip },
      legend: { type: 'scroll', bottom: 0, data: names, selected: state.legendSelected.radar },
      radar: {
        indicator: METRICS.map((m) => ({ name: m.zh, min: isNumber(m.min) ? m.min : 1, max: isNumber(m.max) ? m.max : 5 })),
        center: ['50%', '47%'],
        radius: '64%',
        splitNumber: 4,
        axisName: { color: '#59636e', fontSize: 13 },
        splitArea: { areaStyle: { color: ['#ffffff', '#f6f7f9'] } },
      },
      series: [{
        type: 'radar',
        name: '各项指标 Metrics',
        symbolSize: 4,
        emphasis: { lineStyle: { width: 3 } },
        data: rows.map((row) => {
          const color = colorOf(row.responderId, row.kind);
          const human = row.kind === 'HUMAN';
          const metrics = row.metrics || {};
          return {
            name: nameOf(row),
            value: METRICS.map((m) => {
              const mean = estimateOf(metrics[m.key]).mean;
              return isNumber(mean) ? mean : '-';
            }),
            itemStyle: { color },
            lineStyle: { color, width: human ? 2.5 : 1.6, type: human ? 'dashed' : 'solid' },
            areaStyle: { color, opacity: human ? 0.08 : 0.04 },
          };
        }),
      }],
    }, { notMerge: true });
  }

  function renderDiversityChart(rows) {
    const bars = chart('diversity-chart');
    if (!bars) return;
    const names = rows.map(nameOf);
    const value = (v) => (isNumber(v) ? v : '-');
    const anyHuman = rows.some((r) => isNumber(estimateOf(r.humanDiversityRating).mean));
    const series = [
      { name: 'distinct-2', type: 'bar', yAxisIndex: 0, itemStyle: { color: MEASURE_COLORS.distinct2 },
        data: rows.map((r) => value(r.distinct2)) },
      { name: 'self-BLEU', type: 'bar', yAxisIndex: 0, itemStyle: { color: MEASURE_COLORS.selfBleu },
        data: rows.map((r) => value(r.selfBleu)) },
    ];
    if (anyHuman) {
      series.push({ name: '人工评分 human rating', type: 'bar', yAxisIndex: 1, itemStyle: { color: MEASURE_COLORS.human },
        data: rows.map((r) => value(estimateOf(r.humanDiversityRating).mean)) });
    }
    const yAxis = [{ type: 'value', name: 'distinct-2 / self-BLEU', min: 0, max: 1, splitNumber: 5,
      nameTextStyle: { color: '#59636e', align: 'left' } }];
    if (anyHuman) {
      yAxis.push({ type: 'value', name: '人工评分 1–5', min: 0, max: 5, splitNumber: 5, splitLine: { show: false },
        nameTextStyle: { color: '#59636e', align: 'right' } });
    }
    bars.setOption({
      animationDuration: 400,
      animationDurationUpdate: 300,
      textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        valueFormatter: (v) => (isNumber(v) ? v.toFixed(3) : DASH),
      },
      legend: { top: 0, selected: state.legendSelected['diversity-chart'] },
      grid: { left: 48, right: anyHuman ? 48 : 16, top: 48, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: names,
        axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0, color: '#1f2328' },
      },
      yAxis,
      series,
    }, { notMerge: true });
  }

  function renderDiversity(list) {
    // In leaderboard order where the leaderboard knows the responder, the others after them by name.
    const rank = new Map(boardRows(state.board).map((r, i) => [String(r.responderId), i]));
    const rows = list.filter((r) => r && typeof r === 'object').slice().sort((a, b) => {
      const ra = rank.has(String(a.responderId)) ? rank.get(String(a.responderId)) : Number.MAX_SAFE_INTEGER;
      const rb = rank.has(String(b.responderId)) ? rank.get(String(b.responderId)) : Number.MAX_SAFE_INTEGER;
      return ra - rb || nameOf(a).localeCompare(nameOf(b));
    });
    renderDiversityTable(rows);
    renderDiversityChart(rows);
  }

  // ---------------------------------------------------------------- diversity and comparisons, throttled

  /**
   * A view fetched again whenever the leaderboard changes, at most every minInterval ms: at once if the last request
   * started that long ago, otherwise then. 404 until the study's first event arrived: tried again quietly.
   */
  function throttledView(path, minInterval, onData, label) {
    const view = { inFlight: false, wanted: false, lastStart: 0, timer: null };
    function request() {
      view.wanted = true;
      if (view.inFlight || view.timer) return;
      const wait = view.lastStart + minInterval - Date.now();
      if (wait > 0) {
        view.timer = setTimeout(() => {
          view.timer = null;
          request();
        }, wait);
        return;
      }
      load();
    }
    async function load() {
      view.wanted = false;
      view.inFlight = true;
      view.lastStart = Date.now();
      let retry = false;
      try {
        const response = await fetch(new URL(`studies/${encodeURIComponent(state.study)}/${path}`, API_ROOT), {
          headers: { Accept: 'application/json, application/problem+json' },
          cache: 'no-store',
          credentials: 'same-origin', // the access cookie
        });
        if (response.ok) {
          onData(await response.json());
          clearMessage(path);
        } else {
          retry = response.status !== 401 && response.status !== 403;
          if (!retry) {
            askForToken(response.status);
          } else if (response.status !== 404) {
            let detail = '';
            try {
              const problem = await response.json();
              detail = (problem && (problem.detail || problem.title)) || '';
            } catch (e) {
              detail = '';
            }
            showMessage(`${label}: HTTP ${response.status}` + (detail ? ` ${detail}` : ''), 'warn', path);
          }
        }
      } catch (e) {
        retry = true; // offline or the service restarting: the stream's status line already says so
      } finally {
        view.inFlight = false;
        if (retry) view.wanted = true;
        if (view.wanted) request();
      }
    }
    return request;
  }

  const requestDiversity = throttledView('diversity', DIVERSITY_MIN_INTERVAL_MS, (data) => {
    if (Array.isArray(data)) {
      state.diversity = data;
      renderDiversity(data);
    }
  }, '多样性数据加载失败 · Could not load the diversity measures');

  const requestComparisons = throttledView('comparisons', DIVERSITY_MIN_INTERVAL_MS, (data) => {
    if (data && Array.isArray(data.responders)) {
      state.comparisons = data;
      if (state.board) renderLeaderboard(state.board);
    }
  }, '排名区间加载失败 · Could not load the rank intervals');

  // ---------------------------------------------------------------- access

  // Every number here is unblinded, so the service asks for an analyst's (or researcher's) token. An EventSource cannot
  // send headers: the token travels as a same-site cookie the service accepts on reads only. A link may carry it once
  // as #token=..., which never reaches a server and is dropped from the address at once.
  const TOKEN_COOKIE = 'esrp_token';

  function keepToken(token) {
    const path = new URL('../', window.location.href).pathname;
    document.cookie = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; path=${path}; SameSite=Strict`
      + (window.location.protocol === 'https:' ? '; Secure' : '');
  }

  function takeTokenFromAddress() {
    const hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    const token = (hash.get('token') || '').trim();
    if (!token) return;
    keepToken(token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  function askForToken(status) {
    const form = $('access');
    if (!form.hidden) return;
    setStatus('stopped');
    showMessage(status === 403
      ? '此令牌无权查看 · This token may not read the leaderboard: give the token of an analyst or a researcher.'
      : '需要访问令牌 · The leaderboard needs an access token (analyst, researcher or admin).', 'warn', 'access');
    form.hidden = false;
    $('token-input').focus();
  }

  function initAccess() {
    $('access').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token-input').value.trim();
      if (!token) return;
      keepToken(token);
      $('token-input').value = '';
      $('access').hidden = true;
      clearMessage('access');
      setStatus('connecting');
      connect();
      requestDiversity();
    });
  }

  // ---------------------------------------------------------------- start

  const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  function init() {
    takeTokenFromAddress();
    initAccess();
    const params = new URLSearchParams(window.location.search);
    const study = (params.get('study') || '').trim();
    state.raterKind = (params.get('raterKind') || '').trim() || null;
    if (!study || !UUID_PATTERN.test(study)) {
      document.body.dataset.state = 'no-study';
      setStatus('stopped');
      showMessage(study
        ? `研究 id 无效 · “${study}” is not a study id (a UUID).`
        : '页面地址缺少研究 id · The page address has no study: open it as /leaderboard/?study=<study id>.', 'error');
      return;
    }
    state.study = study;
    $('study-id').textContent = study;
    document.title = `ESRP 排行榜 · Leaderboard · ${study.slice(0, 8)}`;
    window.addEventListener('pagehide', () => {
      if (state.source) state.source.close();
      state.source = null;
    });
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) connect(); // back from the back-forward cache
    });
    setStatus('connecting');
    connect();
    requestDiversity();
  }

  init();
})();

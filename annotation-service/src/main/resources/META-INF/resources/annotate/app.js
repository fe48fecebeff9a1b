// ESRP annotation page: plain browser JavaScript, no build step, no framework.
// Talks to annotation-service's REST API (served from the same origin, one folder up from this script).
(() => {
  'use strict';

  const TOKEN_KEY = 'esrp.annotation.token';
  const IDEMPOTENCY_PREFIX = 'esrp.annotation.idempotency.';
  // The page lives at <service root>/annotate/, so the API root is one folder above this script.
  const API_ROOT = new URL('../', (document.currentScript && document.currentScript.src) || window.location.href);

  const $ = (id) => document.getElementById(id);

  const state = {
    study: null,
    token: null,
    annotator: null,
    task: null,
    scores: {},
    highlight: 0,
    shownAt: 0,
    idempotencyKey: null,
    loading: false,
    submitting: false,
    messageTimer: null,
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

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    // crypto.randomUUID exists only in secure contexts (https or localhost); getRandomValues exists everywhere.
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function storage(kind) {
    try {
      return kind === 'local' ? window.localStorage : window.sessionStorage;
    } catch (e) {
      return null; // storage disabled by the browser
    }
  }

  function storageGet(kind, key) {
    try {
      const s = storage(kind);
      return s ? s.getItem(key) : null;
    } catch (e) {
      return null;
    }
  }

  function storageSet(kind, key, value) {
    try {
      const s = storage(kind);
      if (s) s.setItem(key, value);
    } catch (e) {
      // quota or privacy mode: the page still works, it only forgets on reload
    }
  }

  function storageRemove(kind, key) {
    try {
      const s = storage(kind);
      if (s) s.removeItem(key);
    } catch (e) {
      // see storageSet
    }
  }

  // ---------------------------------------------------------------- messages

  function showMessage(text, kind, source) {
    const box = $('message');
    if (state.messageTimer) {
      clearTimeout(state.messageTimer);
      state.messageTimer = null;
    }
    box.textContent = text;
    box.dataset.kind = kind || 'error';
    if (source) box.dataset.source = source;
    else delete box.dataset.source;
    box.hidden = false;
    if (kind === 'info') {
      state.messageTimer = setTimeout(clearMessage, 4000);
    }
  }

  function clearMessage() {
    const box = $('message');
    if (state.messageTimer) {
      clearTimeout(state.messageTimer);
      state.messageTimer = null;
    }
    box.hidden = true;
    box.textContent = '';
    delete box.dataset.kind;
    delete box.dataset.source;
  }

  // ---------------------------------------------------------------- HTTP

  class ApiError extends Error {
    constructor(status, problem, message) {
      super(message);
      this.status = status;
      this.problem = problem;
    }
  }

  function problemText(status, problem, raw) {
    let text;
    if (problem && typeof problem === 'object') {
      text = problem.detail || problem.title || `HTTP ${status}`;
      const errors = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && (e.field || e.message)) : [];
      const lines = errors.map((e) => (e.field ? `${e.field}: ${e.message || ''}` : e.message));
      if (errors.length === 1 && errors[0].field && (!errors[0].message || errors[0].message === problem.detail)) {
        text = `${errors[0].field}: ${text}`; // the service repeats the detail as the field's message
      } else if (lines.length) {
        text += '\n' + lines.join('\n');
      }
    } else {
      text = `HTTP ${status}` + (raw ? `: ${raw.slice(0, 300)}` : '');
    }
    return text;
  }

  async function api(method, path, options) {
    const opts = options || {};
    const headers = { Accept: 'application/json, application/problem+json' };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    Object.assign(headers, opts.headers || {});
    let response;
    try {
      response = await fetch(new URL(path, API_ROOT), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (e) {
      throw new ApiError(0, null, `无法连接服务器 · Cannot reach the server (${e.message})`);
    }
    if (response.status === 204) {
      return { status: 204, data: null };
    }
    const raw = await response.text();
    let data = null;
    if (raw) {
      try {
        data = JSON.parse(raw);
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, data, problemText(response.status, data, raw));
    }
    return { status: response.status, data };
  }

  function handleError(error) {
    if (error && error.status === 401) {
      signOut(`登录已失效，请重新登录 · Please sign in again.\n${error.message}`);
      return;
    }
    showMessage((error && error.message) || String(error), 'error');
  }

  // ---------------------------------------------------------------- views

  function setView(view) {
    document.body.dataset.state = view;
    $('sign-in-view').hidden = view !== 'sign-in';
    $('loading').hidden = view !== 'loading';
    $('task').hidden = view !== 'task';
    $('all-done').hidden = view !== 'done';
    $('account').hidden = view === 'sign-in';
  }

  function showSignIn() {
    setView('sign-in');
    $('study-field').hidden = Boolean(state.study);
    $('token').focus();
  }

  function showLoading(failed) {
    setView('loading');
    $('loading-text').textContent = failed ? '加载失败 · Could not load the next task.' : '加载中… Loading…';
    $('retry').hidden = !failed;
  }

  function setProgress(progress) {
    if (!progress) return;
    if (progress.done !== undefined && progress.done !== null) $('progress-done').textContent = String(progress.done);
    if (progress.remaining !== undefined && progress.remaining !== null) {
      $('progress-remaining').textContent = String(progress.remaining);
    }
  }

  let remainingAskedAt = 0;
  function refreshRemaining() {
    const now = Date.now();
    if (now - remainingAskedAt < 60000) return;
    remainingAskedAt = now;
    refreshProgress();
  }

  // Answers may arrive out of order (a slow count asked when the task was shown, a fast one after the last rating):
  // only the latest request's answer is shown.
  let progressAsked = 0;

  async function refreshProgress() {
    const asked = ++progressAsked;
    try {
      const { data } = await api('GET', `annotators/me/progress?study=${encodeURIComponent(state.study)}`);
      if (asked === progressAsked) setProgress(data);
    } catch (e) {
      handleError(e);
    }
  }

  // ---------------------------------------------------------------- sign in / out

  async function signIn(token) {
    state.token = token;
    showLoading(false);
    try {
      const { data } = await api('GET', 'annotators/me');
      state.annotator = data || {};
      storageSet('local', TOKEN_KEY, token);
      $('annotator-name').textContent = state.annotator.displayName || '';
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        storageRemove('local', TOKEN_KEY);
        state.token = null;
        $('token').value = '';
        showSignIn();
        showMessage(`令牌无效 · This token was not accepted.\n${e.message}`, 'error');
      } else {
        // The server may be down: keep the remembered token, let the annotator try again.
        state.token = null;
        showSignIn();
        showMessage(e.message, 'error');
      }
      return;
    }
    await loadNext();
  }

  function signOut(message) {
    storageRemove('local', TOKEN_KEY);
    state.token = null;
    state.annotator = null;
    state.task = null;
    $('token').value = '';
    $('annotator-name').textContent = '';
    showSignIn();
    if (message) showMessage(message, 'error');
    else clearMessage();
  }

  // ---------------------------------------------------------------- tasks

  async function loadNext() {
    if (state.loading || !state.token) return;
    state.loading = true;
    state.task = null;
    showLoading(false);
    try {
      const response = await api('GET', `tasks/next?study=${encodeURIComponent(state.study)}`);
      if (response.status === 204 || !response.data) {
        setView('done');
        await refreshProgress();
      } else {
        showTask(response.data);
      }
    } catch (e) {
      if (e.status === 401) {
        handleError(e);
      } else {
        showLoading(true);
        handleError(e);
      }
    } finally {
      state.loading = false;
    }
  }

  function idempotencyKeyFor(taskId) {
    const key = IDEMPOTENCY_PREFIX + taskId;
    let value = storageGet('session', key);
    if (!value) {
      value = uuid();
      storageSet('session', key, value);
    }
    return value;
  }

  function forgetIdempotencyKey(taskId) {
    storageRemove('session', IDEMPOTENCY_PREFIX + taskId);
  }

  function scaleOf(metric) {
    const min = Number.isInteger(metric.min) ? metric.min : 1;
    const max = Number.isInteger(metric.max) ? metric.max : 5;
    return { min, max };
  }

  function anchorsOf(metric) {
    const anchors = metric.anchors && typeof metric.anchors === 'object' ? metric.anchors : {};
    return Object.keys(anchors)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => [k, anchors[k]]);
  }

  function renderDialogue(task, characterName) {
    const box = $('dialogue');
    box.replaceChildren();
    const rounds = (task.rounds || []).slice().sort((a, b) => (a.round || 0) - (b.round || 0));
    for (const r of rounds) {
      const round = el('section', { class: 'round', 'data-round': r.round });
      round.append(el('h3', { class: 'round-title' }, `第 ${r.round} 轮 · Round ${r.round}`));
      const user = el('div', { class: 'bubble user-message' });
      user.append(el('div', { class: 'who' }, '用户 User'), el('div', { class: 'text' }, r.userMessage || ''));
      const answer = el('div', { class: 'bubble answer' });
      answer.append(el('div', { class: 'who' }, characterName || '角色 Character'), el('div', { class: 'text' }, r.answer || ''));
      round.append(user, answer);
      box.append(round);
    }
    box.hidden = rounds.length === 0;
  }

  function renderDiversity(task) {
    const list = $('answers');
    list.replaceChildren();
    const answers = task.answers || [];
    answers.forEach((a, i) => {
      const item = el('li', { class: 'answer-item', 'data-index': i });
      if (a.userMessage) {
        item.append(el('div', { class: 'user-message' }, a.userMessage));
      }
      const answer = el('div', { class: 'answer' });
      answer.append(el('div', { class: 'text' }, a.answer || ''));
      item.append(answer);
      list.append(item);
    });
    $('diversity').hidden = answers.length === 0 && task.kind !== 'DIVERSITY';
  }

  function renderRubric(task) {
    const box = $('rubric');
    box.replaceChildren();
    let dimension = null;
    task.rubric.forEach((metric, index) => {
      if (metric.dimension && metric.dimension !== dimension) {
        dimension = metric.dimension;
        box.append(el('h3', { class: 'dimension' }, dimension));
      }
      const { min, max } = scaleOf(metric);
      const anchors = anchorsOf(metric);
      const anchorByValue = Object.fromEntries(anchors);
      const nameId = `metric-name-${index}`;
      const row = el('div', {
        class: 'metric',
        'data-metric': metric.key,
        'data-index': index,
        role: 'radiogroup',
        'aria-labelledby': nameId,
      });

      const info = el('div', { class: 'metric-info' });
      info.title = [metric.definition || '', ...anchors.map(([k, v]) => `${k}: ${v}`)].filter(Boolean).join('\n');
      info.append(el('div', { class: 'metric-name', id: nameId }, metric.name || metric.key));
      if (metric.definition) {
        info.append(el('div', { class: 'metric-definition' }, metric.definition));
      }
      if (anchors.length) {
        const details = el('details', { class: 'anchors' });
        details.append(el('summary', {}, '评分锚点 · Anchors'));
        const list = el('dl');
        for (const [value, text] of anchors) {
          list.append(el('dt', {}, value), el('dd', {}, text));
        }
        details.append(list);
        info.append(details);
      }

      const scale = el('div', { class: 'scale' });
      for (let value = min; value <= max; value++) {
        const id = `score-${index}-${value}`;
        const input = el('input', {
          type: 'radio',
          name: `score-${index}`,
          id,
          value,
          'data-score': value,
          'aria-label': `${metric.name || metric.key} ${value}`,
        });
        input.addEventListener('change', () => {
          if (input.checked) setScore(index, value, false);
        });
        const label = el('label', { for: id, class: 'score', 'data-score': value, title: anchorByValue[value] || '' }, value);
        scale.append(input, label);
      }

      row.append(info, scale);
      row.addEventListener('click', () => setHighlight(index, false));
      box.append(row);
    });
  }

  function showTask(task) {
    if (!task || !Array.isArray(task.rubric) || task.rubric.length === 0) {
      showLoading(true);
      showMessage('任务缺少评分标准 · The task has no rubric.', 'error');
      return;
    }
    state.task = task;
    state.scores = {};
    state.highlight = 0;
    state.submitting = false;
    state.idempotencyKey = idempotencyKeyFor(task.taskId);

    const characterName = (task.character && task.character.name) || '';
    $('character').textContent = characterName;
    const scenario = task.scenario || {};
    $('persona').textContent = scenario.persona || '';
    $('emotion').textContent = scenario.emotion || '';
    $('persona-field').hidden = !scenario.persona;
    $('emotion-field').hidden = !scenario.emotion;
    $('scenario').hidden = !scenario.persona && !scenario.emotion;

    if (task.kind === 'DIVERSITY') {
      $('dialogue').replaceChildren();
      $('dialogue').hidden = true;
      renderDiversity(task);
    } else {
      $('answers').replaceChildren();
      $('diversity').hidden = true;
      renderDialogue(task, characterName);
    }
    renderRubric(task);
    $('comment').value = '';

    const taskBox = $('task');
    taskBox.dataset.taskId = task.taskId;
    taskBox.dataset.kind = task.kind || '';
    renderLease();
    if (task.progress) setProgress(task.progress);
    // What is left counts the study's items, so it is asked for apart, and at most once a minute.
    if (!task.progress || task.progress.remaining == null) refreshRemaining();

    setView('task');
    setHighlight(0, false);
    updateCompletion();
    window.scrollTo(0, 0);
    taskBox.focus({ preventScroll: true });
    state.shownAt = performance.now();
  }

  function renderLease() {
    const lease = $('lease');
    const task = state.task;
    const expires = task && task.expiresAt ? new Date(task.expiresAt) : null;
    if (!expires || Number.isNaN(expires.getTime())) {
      lease.textContent = '';
      lease.classList.remove('expired');
      return;
    }
    if (Date.now() > expires.getTime()) {
      lease.textContent = '此任务的预留已过期，提交可能失败 · This task\'s reservation has expired; submitting may fail.';
      lease.classList.add('expired');
    } else {
      lease.textContent = `为你预留至 ${expires.toLocaleTimeString()} · Reserved for you until ${expires.toLocaleTimeString()}`;
      lease.classList.remove('expired');
    }
  }

  function rows() {
    return Array.from($('rubric').querySelectorAll('.metric'));
  }

  function unscored() {
    if (!state.task) return [];
    const missing = [];
    state.task.rubric.forEach((metric, index) => {
      if (state.scores[metric.key] === undefined) missing.push(index);
    });
    return missing;
  }

  function setHighlight(index, scroll) {
    const all = rows();
    if (!all.length) return;
    const i = Math.max(0, Math.min(all.length - 1, index));
    state.highlight = i;
    all.forEach((row, j) => {
      row.classList.toggle('highlighted', j === i);
      if (j === i) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    });
    if (scroll) all[i].scrollIntoView({ block: 'nearest' });
  }

  function setScore(index, value, advance) {
    const metric = state.task.rubric[index];
    const row = rows()[index];
    state.scores[metric.key] = value;
    const input = row.querySelector(`input[data-score="${value}"]`);
    if (input) input.checked = true;
    row.dataset.score = String(value);
    row.classList.add('scored');
    row.classList.remove('invalid');
    if (advance) {
      let next = index + 1;
      if (next >= state.task.rubric.length) {
        const missing = unscored();
        next = missing.length ? missing[0] : index;
      }
      setHighlight(next, true);
    } else {
      setHighlight(index, false);
    }
    updateCompletion();
  }

  function updateCompletion() {
    const missing = unscored().length;
    if (missing === 0 && $('message').dataset.source === 'incomplete') clearMessage();
    $('submit').disabled = missing > 0 || state.submitting;
    $('completion').textContent = state.submitting
      ? '提交中… Submitting…'
      : missing > 0
        ? `还有 ${missing} 项未评分 · ${missing} left to score`
        : '可以提交（Enter）· Ready to submit (Enter)';
  }

  function markInvalid(problem) {
    if (!problem || !Array.isArray(problem.errors) || !state.task) return;
    const all = rows();
    let first = -1;
    for (const error of problem.errors) {
      const field = String((error && error.field) || '');
      state.task.rubric.forEach((metric, index) => {
        if (field === metric.key || field.endsWith(`.${metric.key}`) || field.endsWith(`[${metric.key}]`)) {
          all[index].classList.add('invalid');
          if (first < 0 || index < first) first = index;
        }
      });
    }
    if (first >= 0) setHighlight(first, true);
  }

  async function submit() {
    const task = state.task;
    if (!task || state.submitting || state.loading) return;
    const missing = unscored();
    if (missing.length) {
      showMessage(`还有 ${missing.length} 项未评分 · ${missing.length} metric(s) still need a score.`, 'error', 'incomplete');
      setHighlight(missing[0], true);
      return;
    }
    const body = {
      scores: Object.assign({}, state.scores),
      durationMs: Math.max(0, Math.round(performance.now() - state.shownAt)),
    };
    const comment = $('comment').value.trim();
    if (comment) body.comment = comment;

    state.submitting = true;
    document.body.dataset.busy = 'true';
    updateCompletion();
    try {
      await api('POST', `tasks/${encodeURIComponent(task.taskId)}/ratings`, {
        body,
        headers: { 'Idempotency-Key': state.idempotencyKey },
      });
      forgetIdempotencyKey(task.taskId);
      state.submitting = false;
      showMessage('已保存 · Saved.', 'info');
      await loadNext();
    } catch (e) {
      state.submitting = false;
      if (e.status === 409) {
        forgetIdempotencyKey(task.taskId);
        showMessage(`${e.message}\n此任务的预留已过期，评分未保存，已载入下一个任务。· The reservation of that task expired and its rating was not saved; here is the next task.`, 'error');
        await loadNext();
      } else {
        if (e.status === 400) markInvalid(e.problem);
        handleError(e);
      }
    } finally {
      delete document.body.dataset.busy;
      if (state.task === task) updateCompletion();
    }
  }

  // ---------------------------------------------------------------- keyboard

  function isTextEntry(node) {
    if (!node || !node.tagName) return false;
    if (node.isContentEditable) return true;
    const tag = node.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag === 'INPUT') {
      const type = (node.getAttribute('type') || 'text').toLowerCase();
      return !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(type);
    }
    return false;
  }

  function onKeyDown(event) {
    if (document.body.dataset.state !== 'task' || !state.task) return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target;
    if (isTextEntry(target)) {
      if (event.key === 'Escape') {
        target.blur();
        $('task').focus({ preventScroll: true });
      }
      return;
    }
    const key = event.key;
    if (/^[0-9]$/.test(key)) {
      if (state.submitting) return;
      const metric = state.task.rubric[state.highlight];
      const { min, max } = scaleOf(metric);
      const value = Number(key);
      if (value >= min && value <= max) {
        event.preventDefault();
        setScore(state.highlight, value, true);
      }
      return;
    }
    if (key === 'Enter') {
      const tag = target && target.tagName;
      // Let links, <summary> and other buttons do their own thing.
      if (tag === 'A' || tag === 'SUMMARY' || (tag === 'BUTTON' && target.id !== 'submit')) return;
      event.preventDefault();
      if (!event.repeat) submit();
      return;
    }
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      // A focused radio button moves its own selection with the arrows.
      if (target && target.tagName === 'INPUT') return;
      event.preventDefault();
      setHighlight(state.highlight + (key === 'ArrowDown' ? 1 : -1), true);
    }
  }

  // ---------------------------------------------------------------- start

  function init() {
    state.study = new URLSearchParams(window.location.search).get('study');

    $('sign-in-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token').value.trim();
      if (!state.study) {
        const study = $('study').value.trim();
        if (!study) {
          showMessage('请填写研究 id · Please enter the study id (or open this page with ?study=<id>).', 'error');
          return;
        }
        state.study = study;
        const url = new URL(window.location.href);
        url.searchParams.set('study', study);
        window.history.replaceState(null, '', url);
      }
      if (!token) {
        showMessage('请填写令牌 · Please enter your token.', 'error');
        return;
      }
      clearMessage();
      signIn(token);
    });
    $('sign-out').addEventListener('click', (event) => {
      event.preventDefault();
      signOut();
    });
    $('submit').addEventListener('click', () => submit());
    $('retry').addEventListener('click', () => {
      clearMessage();
      loadNext();
    });
    $('check-again').addEventListener('click', () => {
      clearMessage();
      loadNext();
    });
    document.addEventListener('keydown', onKeyDown);
    setInterval(() => {
      if (state.task && document.body.dataset.state === 'task') renderLease();
    }, 15000);

    const remembered = storageGet('local', TOKEN_KEY);
    if (remembered && state.study) {
      signIn(remembered);
    } else {
      showSignIn();
      if (!state.study) {
        showMessage('页面地址缺少研究 id · The page address has no ?study=<id>; enter the study id below.', 'warn');
      }
    }
  }

  init();
})();

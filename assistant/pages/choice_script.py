"""The one script that reads a question's answer on the page, whatever control draws it (see :mod:`.reading`).

It runs once per reading over every element an answer may be drawn with (:data:`CANDIDATES`) and
returns, for the question's own controls, one entry per group (a set of radios, a list, a switch,
a row of toggle buttons) with the answer a person sees in it, or why none can be read; when the
question has no control, the answer written beside it (« … ? OUI », a <dl>, a table row, a badge).

State is read only from what a person or assistive technology sees: ``checked``, the selected
option, ``aria-checked`` / ``aria-pressed`` / ``aria-selected``, a checked input inside a button,
the text near the question. Never from a class name.
"""

from __future__ import annotations

# why: every element kind an answer may be drawn with (inputs, lists, ARIA widgets, buttons, elements
# carrying a state attribute); the script keeps those a person sees as the question's answers
CANDIDATES = (
    "input[type=radio], input[type=checkbox], select, button, input[type=button], input[type=submit], "
    "input[type=image], [role=radio], [role=menuitemradio], [role=checkbox], [role=switch], [role=combobox], "
    "[role=button], [role=tab], [role=option], [aria-pressed], [aria-checked], [aria-selected]"
)

CHOICE_JS = r"""(els, [question, answers]) => {
  const q = new RegExp(question, 'i');
  const fold = s => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  const keys = answers.map(fold);
  const clean = s => (s || '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
  const text = e => clean(e.innerText || e.textContent);
  const shown = e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  // the answer a name says: the whole name, or the one answer among a few words (« Oui, j'adhère »)
  const word = s => {
    const f = fold(s), exact = keys.indexOf(f);
    if (exact >= 0) return answers[exact];
    const ws = f.split(' '), hits = keys.filter(k => ws.includes(k));
    return hits.length === 1 && ws.length <= 5 ? answers[keys.indexOf(hits[0])] : null;
  };
  const byIds = v => (v || '').split(/\s+/).filter(Boolean).map(id => document.getElementById(id)).filter(Boolean);
  const labelsOf = e => {
    const own = e.labels ? Array.from(e.labels) : [];
    const wrap = e.parentElement && e.parentElement.closest('label');
    if (wrap && !own.includes(wrap)) own.push(wrap);
    return own;
  };
  const nameOf = e => {
    const by = byIds(e.getAttribute('aria-labelledby')).map(text).join(' ');
    if (by) return by;
    if (clean(e.getAttribute('aria-label'))) return clean(e.getAttribute('aria-label'));
    const own = labelsOf(e).map(text).join(' ');
    if (own) return own;
    if (e.tagName === 'INPUT') return clean(/^(button|submit|reset)$/i.test(e.type) ? e.value : e.type === 'image' ? e.alt : e.title);
    if (e.tagName === 'SELECT') return clean(e.title);
    const img = e.querySelector('img[alt]');
    return text(e) || clean(img && img.alt) || clean(e.title);
  };
  const groupName = g => {
    const legend = g.tagName === 'FIELDSET' ? g.querySelector(':scope > legend') : null;
    return byIds(g.getAttribute('aria-labelledby')).map(text).join(' ') || clean(g.getAttribute('aria-label')) || (legend ? text(legend) : '');
  };
  const kindOf = e => {
    const r = (e.getAttribute('role') || '').toLowerCase(), t = e.tagName, type = (e.type || '').toLowerCase();
    if (t === 'OPTION' || t === 'LABEL') return null;
    if (t === 'SELECT') return 'list';
    if (r === 'combobox') return 'combo';
    if ((t === 'INPUT' && type === 'checkbox') || r === 'checkbox' || r === 'switch') return 'check';
    if ((t === 'INPUT' && type === 'radio') || r === 'radio' || r === 'menuitemradio') return 'radio';
    if (t === 'INPUT' && !/^(button|submit|image|reset)$/.test(type)) return null;
    return 'toggle';
  };
  const MARKS = ['aria-checked', 'aria-pressed', 'aria-selected'];
  const stateOf = e => {
    if (e.tagName === 'INPUT' && /^(radio|checkbox)$/i.test(e.type)) return {state: e.indeterminate ? 'mixed' : String(e.checked), mark: 'checked'};
    const mark = MARKS.find(a => e.hasAttribute(a));
    if (mark) {
      const v = (e.getAttribute(mark) || '').toLowerCase();
      return {state: ['true', 'false', 'mixed'].includes(v) ? v : null, mark};
    }
    // a segmented button may carry its state in a checked input of its own
    const inner = e.querySelector('input[type=radio], input[type=checkbox]');
    return inner ? {state: String(inner.checked), mark: 'input'} : {state: null, mark: null};
  };
  const off = e => !!(e.disabled || e.closest('fieldset[disabled], [aria-disabled=true]') || e.getAttribute('aria-readonly') === 'true');

  const all = els.map((e, i) => ({i, e, kind: kindOf(e)})).filter(c => c.kind);
  // a control inside another (a segmented button holding its radio) is that control
  const cands = all.filter(c => !all.some(o => o !== c && o.kind !== 'list' && o.kind !== 'combo' && o.e.contains(c.e)));
  for (const c of cands) {
    c.name = nameOf(c.e);
    c.word = (c.kind === 'radio' || c.kind === 'toggle') ? word(c.name) : null;
    Object.assign(c, stateOf(c.e));
    c.seen = shown(c.e) || labelsOf(c.e).some(shown);
    c.usable = c.seen && !off(c.e);
  }
  const asked = c => q.test(c.name);
  const optionsOf = e => Array.from(e.options || []).map((o, index) => ({index, value: o.value, word: word(o.text)}));
  const relevant = (c, near) => {
    if (!c.seen) return false;
    if (c.kind === 'radio' || c.kind === 'toggle') return !!c.word;
    if (c.kind === 'check') return asked(c) || (near && (!c.name || fold(c.name) === keys[0]));
    if (c.kind === 'list') return asked(c) || (near && answers.every(a => optionsOf(c.e).some(o => o.word === a)));
    return asked(c);
  };
  const GROUP = '[role=radiogroup], [role=group], [role=toolbar], [role=tablist], [role=listbox], [role=menu], fieldset';
  const wordy = cands.filter(c => c.kind === 'radio' || (c.kind === 'toggle' && c.word));
  const boxOf = c => {
    if (c.kind !== 'radio' && c.kind !== 'toggle') return c.e;
    const g = c.e.parentElement && c.e.parentElement.closest(GROUP);
    if (g) return g;
    const named = c.e.tagName === 'INPUT' && c.e.name;
    const peers = wordy.filter(o => o !== c && (named ? o.e.name === c.e.name && o.e.form === c.e.form : o.word !== c.word));
    let b = c.e.parentElement;
    while (b && b !== document.body && !peers.some(o => b.contains(o.e))) b = b.parentElement;
    return b || document.body;
  };
  for (const c of cands) c.box = boxOf(c);

  // the question: the smallest visible elements saying it (text nodes first, split text else)
  let anchors = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.parentElement && q.test(n.textContent)) anchors.push(n.parentElement);
  if (!anchors.length) {
    const holders = Array.from(document.body.querySelectorAll('*')).filter(e => !/^(SCRIPT|STYLE|TITLE)$/.test(e.tagName) && q.test(e.textContent));
    anchors = holders.filter(e => !holders.some(o => o !== e && e.contains(o)));
  }
  anchors = anchors.filter(e => !/^(SCRIPT|STYLE|TITLE|OPTION)$/.test(e.tagName) && shown(e));
  const namedBoxes = new Set(cands.map(c => c.box).filter(b => b !== document.body && b.tagName !== 'BODY' && q.test(groupName(b))));

  const bound = new Set(cands.filter(c => (namedBoxes.has(c.box) && relevant(c, true)) || (c.kind !== 'radio' && c.kind !== 'toggle' && relevant(c, false))));
  for (const a of anchors) {
    let el = a;
    for (let up = 0; el && up < 5; up++, el = el.parentElement) {
      const inside = cands.filter(c => el.contains(c.e) && relevant(c, true));
      if (inside.length) { inside.forEach(c => bound.add(c)); break; }
      if (el === document.body) break;
    }
  }

  // one entry per group: its members, and what a person reads in it
  const boxes = [...new Set([...bound].map(c => c.box))];
  const groups = boxes.map(box => {
    const first = [...bound].find(c => c.box === box);
    const kind = first.kind === 'toggle' ? 'toggle' : first.kind;
    const members = (kind === 'radio' || kind === 'toggle')
      ? cands.filter(c => c.box === box && c.seen && (c.kind === 'radio' || (c.kind === 'toggle' && c.word))) : [first];
    const g = {kind, name: kind === 'radio' || kind === 'toggle' ? groupName(box) : first.name,
               usable: members.some(m => m.usable), answer: null, problem: null, seen: null,
               members: members.map(m => ({i: m.i, kind: m.kind, word: m.word, name: m.name, state: m.state, mark: m.mark, usable: m.usable}))};
    if (kind === 'list') {
      const o = first.e.selectedOptions && first.e.selectedOptions[0], t = o ? clean(o.text) : '';
      g.members[0].options = optionsOf(first.e);
      const w = word(t);
      if (w) g.answer = w;
      else if (!o || !fold(t) || o.value === '' || /^(choisi|selection|veuillez)/.test(fold(t))) { g.problem = 'none'; g.seen = t; }
      else { g.problem = 'unknown'; g.seen = t; }
    } else if (kind === 'combo') {
      const t = clean(first.e.value !== undefined && first.e.tagName === 'INPUT' ? first.e.value : (first.e.getAttribute('aria-valuetext') || text(first.e)));
      const w = word(t);
      if (w) g.answer = w; else { g.problem = fold(t) ? 'unknown' : 'none'; g.seen = t; }
    } else if (kind === 'check') {
      if (first.state === 'true') g.answer = answers[0];
      else if (first.state === 'false') g.answer = answers[1];
      else { g.problem = 'state'; g.seen = first.state || ''; }
    } else {
      const on = members.filter(m => m.state === 'true');
      const said = [...new Set(on.map(m => m.word || m.name))];
      if (!on.length) g.problem = members.some(m => m.word && m.state === null) ? 'state' : 'none';
      else if (said.length > 1) { g.problem = 'contradiction'; g.seen = said.join(' + '); }
      else if (answers.includes(said[0])) g.answer = said[0];
      else { g.problem = 'unknown'; g.seen = said[0]; }
    }
    return g;
  });

  // no control: the answer written beside the question, in the smallest block around it
  let written = null, unknown = null;
  if (!groups.length) {
    const letter = '0-9A-Za-z\u00c0-\u024f';
    const find = new RegExp('(?:^|[^' + letter + '])(' + answers.join('|') + ')(?![' + letter + '])', 'gi');
    const SKIP = 'a, button, select, script, style, h1, h2, h3, h4, h5, h6, [role=button], [role=link], [role=heading], [role=tab], [role=menuitem], [aria-hidden=true]';
    const says = el => {
      const parts = [], w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const p = n.parentElement;
        if (!p || (p !== el && p.closest(SKIP) && el.contains(p.closest(SKIP))) || !shown(p)) continue;
        parts.push(n.textContent);
      }
      return clean(parts.join(' ').replace(q, ' '));
    };
    for (const start of anchors) {
      let el = start;
      for (let up = 0; el && el !== document.body.parentElement && up < 4; up++, el = el.parentElement) {
        const rest = says(el);
        const found = new Set(Array.from(rest.matchAll(find), m => m[1].toUpperCase()));
        if (found.size === 1) { written = [...found][0]; break; }
        if (found.size > 1) break;
        // a short word where the answer stands (« Peut-être », « En cours »): shown, not understood
        if (up < 3 && fold(rest) && rest.length <= 30 && fold(rest).split(' ').length <= 3) { unknown = rest.replace(/^[\s:;.,!?«»"-]+|[\s:;.,!?«»"-]+$/g, ''); break; }
      }
      if (written || unknown) break;
    }
  }
  return {question: anchors.length > 0 || namedBoxes.size > 0, groups, written, unknown};
}"""

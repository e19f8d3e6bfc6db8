"""Where a control leads, when its markup says it: read, never guessed.

Two controls with the same words that lead to the same place are one control to a person (« Mes
factures » in the menu and as a dashboard tile); two that lead to different places, or to places
that cannot be known, are an ambiguity (:mod:`.controls`). What the markup states, with no script run
and nothing guessed from words, ids or classes:

- an ``<a href>`` (not ``#``, not ``javascript:``): its address, as the status bar shows it;
- a submit button (``<button type=submit>``, ``<input type=submit|image>``) of a form sent with GET:
  the form's ``action`` (or the button's ``formaction``) with the form's fields as the query string,
  which is exactly the address the browser asks for (HTML's form submission algorithm; the click
  coordinates an image button adds are where it was clicked, not where it leads); a POST form's
  answer depends on what the server does with the data, so it has no address to compare;
- an inline ``onclick`` that is one literal navigation and nothing else (``location.href='…'``,
  ``window.location='…'``, ``location.assign('…')``, optionally ``return false``): the browser goes
  to that literal address, as for a link; the attribute is read as written, not run.

Anything else (a handler that does more, a script attached elsewhere, an ``onsubmit``) leads to an
unknown place: such a control is never merged with another.
"""

from __future__ import annotations

# The JavaScript function ``leads(element)`` -> the absolute address (no fragment) the element
# leads to, or '' when the markup does not say it or it is the current page. Spliced into the
# evaluate() sources of controls.py.
LEADS_JS = r"""
const LITERAL = /^\s*(?:(?:window|document|self|top)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*(['"])([^'"\\]*)\1\s*;?\s*(?:return\s+false\s*;?\s*)?$|^\s*(?:(?:window|document|self|top)\s*\.\s*)?location\s*\.\s*(?:assign|replace)\s*\(\s*(['"])([^'"\\]*)\3\s*\)\s*;?\s*(?:return\s+false\s*;?\s*)?$/;
const leads = (e) => {
  const here = location.href.split('#')[0];
  const clean = (address) => {
    let u;
    try { u = new URL(address, document.baseURI); } catch (err) {
      // no base to resolve it against (a page written in place): the address as written, as a.href gives it
      return /^\s*(javascript:|#|$)/i.test(address) ? '' : address.trim();
    }
    if (!/^https?:$/.test(u.protocol)) return '';
    u.hash = '';
    const s = u.href.replace(/\?$/, '');
    return s === here.replace(/\?$/, '') ? '' : s;
  };
  // a submit button of a GET form: the form's address with its fields, as the browser builds it
  const submitted = (b) => {
    const form = b.form;
    if (!form || form.hasAttribute('onsubmit')) return '';
    const method = (b.getAttribute('formmethod') || form.getAttribute('method') || 'get').toLowerCase();
    if (method !== 'get') return '';
    const action = b.getAttribute('formaction') || form.getAttribute('action') || '';
    let u;
    try { u = new URL(action, document.baseURI); } catch (err) { return ''; }
    const query = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string') query.append(k, v);
    if (b.name && b.type !== 'image') query.append(b.name, b.value);
    u.search = query.toString();
    return clean(u.href);
  };
  // what the element itself says: an address ('' for unknown), or null when it says nothing of its own
  const own = (el) => {
    const click = el.getAttribute('onclick');
    if (click !== null) {
      const m = LITERAL.exec(click);
      if (m) return clean(m[2] !== undefined ? m[2] : m[4]);
    }
    if (el.tagName === 'A' && el.hasAttribute('href')) {
      return /^\s*(javascript:|#)/i.test(el.getAttribute('href')) ? '' : clean(el.href);
    }
    if (click !== null) return '';  // a script of its own decides
    const submits = (el.tagName === 'BUTTON' && el.type === 'submit')
      || (el.tagName === 'INPUT' && (el.type === 'submit' || el.type === 'image'));
    return submits ? submitted(el) : null;
  };
  for (let el = e; el && el !== document.body; el = el.parentElement) {
    const found = own(el);
    if (found !== null) return found;
  }
  const inner = e.querySelector('a[href]');
  return inner ? own(inner) || '' : '';
};
"""

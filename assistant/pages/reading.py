"""Reading what a page says, whatever its markup."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from ..labels import label


def answer_near(page: Page, question: str, answers: tuple[str, ...] = ("OUI", "NON")) -> str | None:
    """The one answer shown with ``question`` (« … ? OUI », a <dl>, a table row, a sentence), if any.

    Works whatever the markup: the portal's question is the anchor [seed], and the answer is
    the one word among ``answers`` in the smallest block around it. Two of them there (radios
    « OUI NON ») is no answer.
    """
    try:
        found = page.evaluate(_ANSWER_JS, [label(question, exact=False).pattern, list(answers)])
    except PlaywrightError:
        return None
    return found if found in answers else None


# The smallest visible block holding the question (found among text nodes first: cheap; by
# elements when the question is split over several), widened a few levels until it holds
# exactly one of the answers (the question's own words removed).
_ANSWER_JS = """([question, answers]) => {
  const body = document.body;
  const q = new RegExp(question, 'i');
  const letter = '0-9A-Za-z\\u00c0-\\u024f';
  const word = new RegExp('(?:^|[^' + letter + '])(' + answers.join('|') + ')(?![' + letter + '])', 'gi');
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  let starts = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (q.test(n.textContent) && n.parentElement) starts.push(n.parentElement);
  }
  if (!starts.length) {
    const holders = Array.from(body.querySelectorAll('*')).filter(e => q.test(e.innerText || ''));
    starts = holders.filter(e => !holders.some(o => o !== e && e.contains(o)));
  }
  for (const start of starts.filter(shown)) {
    let el = start;
    for (let up = 0; el && el !== body.parentElement && up < 4; up++, el = el.parentElement) {
      const text = (el.innerText || '').replace(q, ' ');
      const found = new Set(Array.from(text.matchAll(word), m => m[1].toUpperCase()));
      if (found.size === 1) return [...found][0];
      if (found.size > 1) break;
    }
  }
  return null;
}"""

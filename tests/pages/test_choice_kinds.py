"""The question « Souhaitez-vous adhérer à la facture en ligne ? » drawn with every kind of control.

Each page is written by hand, unlike the replica's markup (no fieldset, other element kinds, ids
and classes): the assistant must answer « OUI » and read the answer back on each, and read it on
read-only and disabled renderings, from what a person sees (checked, selected, aria-*), never from
a class name.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from assistant.config import Settings, Timeouts
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage

SETTINGS = Settings(base_url="http://127.0.0.1:9/commune/espace-citoyens/",
                    timeouts=Timeouts(action=1_500, navigation=3_000, wait_modal=3_000))
Q = "Souhaitez-vous adhérer à la facture en ligne ?"
NEXT = "<p class='nav'><a href='#' onclick='return false'>Aller à l'étape 2</a></p>"
# why (in the pages below): state flips the way a small widget library would do it
FLIP = """<script>
document.querySelectorAll('[data-grp]').forEach(el => el.addEventListener('click', ev => {
  ev.preventDefault();
  const attr = el.dataset.attr;
  document.querySelectorAll(`[data-grp="${el.dataset.grp}"]`).forEach(o => o.setAttribute(attr, String(o === el)));
}));
document.querySelectorAll('[data-flip]').forEach(el => el.addEventListener('click', () =>
  el.setAttribute('aria-checked', el.getAttribute('aria-checked') === 'true' ? 'false' : 'true')));
</script>"""

# Editable renderings, « NON » chosen; the key names the kind.
EDITABLE = {
    "native radios in a table": f"""
<table class="frm"><tr><td class="lib">{Q}</td><td>
<input type="radio" name="fel" id="r-o" value="1"><label for="r-o">Oui</label>
<input type="radio" name="fel" id="r-n" value="0" checked><label for="r-n">Non</label></td></tr></table>""",
    "radios wrapped in labels, no group": f"""
<div class="quest"><span>{Q.replace(' ?', '&#8239;?')}</span><br>
<label class="opt"><input type="radio" name="choix" value="Y"> OUI</label>
<label class="opt"><input type="radio" name="choix" value="N" checked> NON</label></div>""",
    "radios hidden behind styled labels (display:none)": f"""
<section><h4 class="qq">{Q}</h4><div class="pills">
<input type="radio" id="p1" name="adh" style="display:none"><label for="p1" class="pill">Oui</label>
<input type="radio" id="p2" name="adh" style="display:none" checked><label for="p2" class="pill">Non</label></div></section>""",
    "radios hidden behind styled labels (clipped)": f"""
<div><p>{Q}</p>
<label class="sw"><input type="radio" name="w" style="position:absolute;opacity:0;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)"><i></i><b>OUI</b></label>
<label class="sw"><input type="radio" name="w" checked style="position:absolute;opacity:0;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)"><i></i><b>NON</b></label></div>""",
    "ARIA radiogroup named by aria-label": f"""
<ul role="radiogroup" aria-label="{Q}" class="rg">
<li role="radio" aria-checked="false" tabindex="0" data-grp="a" data-attr="aria-checked">Oui</li>
<li role="radio" aria-checked="true" tabindex="-1" data-grp="a" data-attr="aria-checked">Non</li></ul>""",
    "drop-down list with a blank first option": f"""
<div class="row"><label for="sel-adh">{Q}</label>
<select id="sel-adh" name="adh"><option value="">-- Choisir --</option><option value="1">Oui</option>
<option value="0" selected>Non</option></select></div>""",
    "drop-down list beside the question, no label": f"""
<table><tr><th>{Q}</th><td><select name="x9"><option value="O">OUI</option><option value="N" selected>NON</option></select></td></tr></table>""",
    "checkbox labelled by the question": f"""
<p class="cb"><label><input type="checkbox" name="optin"> {Q}</label></p>""",
    "switch (role=switch) labelled by the question": f"""
<div class="line"><span id="lbl-q">{Q}</span>
<button type="button" role="switch" aria-checked="false" aria-labelledby="lbl-q" class="tgl" data-flip><span class="knob"></span></button></div>""",
    "toggle buttons (aria-pressed)": f"""
<div class="qblock"><div class="txt">{Q}</div><div class="btns">
<button type="button" aria-pressed="false" data-grp="t" data-attr="aria-pressed">OUI</button>
<button type="button" aria-pressed="true" data-grp="t" data-attr="aria-pressed">NON</button></div></div>""",
    "segmented group (aria-selected on links)": f"""
<div class="seg-wrap"><em>{Q}</em><nav class="seg">
<a href="#" role="button" aria-selected="false" data-grp="s" data-attr="aria-selected">Oui</a>
<a href="#" role="button" aria-selected="true" data-grp="s" data-attr="aria-selected">Non</a></nav></div>""",
    "segmented group (aria-checked on buttons in a role=group)": f"""
<span id="qq">{Q}</span><div role="group" aria-labelledby="qq">
<button type="button" aria-checked="false" data-grp="c" data-attr="aria-checked">OUI</button>
<button type="button" aria-checked="true" data-grp="c" data-attr="aria-checked">NON</button></div>""",
    "segmented group (a checked hidden input in each button)": f"""
<div class="o"><strong>{Q}</strong><div class="btn-group">
<span role="button" tabindex="0" class="b" onclick="this.querySelector('input').checked = true">OUI<input type="radio" name="sg" hidden></span>
<span role="button" tabindex="0" class="b" onclick="this.querySelector('input').checked = true">NON<input type="radio" name="sg" hidden checked></span></div></div>""",
    "custom list (role=combobox and its options)": f"""
<div class="dd"><span id="dq">{Q}</span>
<div role="combobox" tabindex="0" aria-labelledby="dq" aria-expanded="false" aria-controls="lb"
  onclick="document.getElementById('lb').hidden = false; this.setAttribute('aria-expanded', 'true')">Non</div>
<ul role="listbox" id="lb" hidden><li role="option" aria-selected="false">Oui</li><li role="option" aria-selected="true">Non</li></ul>
<script>document.querySelectorAll('#lb [role=option]').forEach(o => o.onclick = () => {{
  document.querySelectorAll('#lb [role=option]').forEach(x => x.setAttribute('aria-selected', String(x === o)));
  const box = document.querySelector('[role=combobox]'); box.textContent = o.textContent;
  box.setAttribute('aria-expanded', 'false'); document.getElementById('lb').hidden = true; }});</script></div>""",
}


def form(page: Page, markup: str) -> AdhesionFormPage:
    page.set_content(f"<html lang='fr'><body><main>{markup}{NEXT}</main>{FLIP}</body></html>")
    return AdhesionFormPage(page, SETTINGS)


@pytest.mark.parametrize("kind", EDITABLE)
def test_the_current_answer_is_read_on_every_kind(page: Page, kind):
    assert form(page, EDITABLE[kind]).checked() == "NON"
    assert AdhesionPage(page, SETTINGS).current_choice() == "NON"


@pytest.mark.parametrize("kind", EDITABLE)
def test_oui_is_answered_and_read_back_on_every_kind(page: Page, kind):
    adhesion = form(page, EDITABLE[kind]).choose_yes()
    assert adhesion.checked() == "OUI"
    assert AdhesionPage(page, SETTINGS).current_choice() == "OUI"


MODIFY = "<button type='button' class='edit'>Modifier</button>"
# Read-only renderings (the family's answer is « OUI »), with « MODIFIER » beside them.
READ_ONLY = {
    "disabled list": f"<div><label for='d1'>{Q}</label> <select id='d1' disabled><option>Non</option>"
                     "<option selected>Oui</option></select></div>",
    "disabled radios": f"<div class='r'><p>{Q}</p><input type='radio' disabled checked id='o'><label for='o'>Oui</label>"
                       "<input type='radio' disabled id='n'><label for='n'>Non</label></div>",
    "a disabled switch": f"<div><span id='l'>{Q}</span><span role='switch' aria-checked='true' aria-disabled='true' "
                         "aria-labelledby='l'></span></div>",
    "text after the question": f"<p class='v'>{Q} OUI</p>",
    "definition list": f"<dl class='ro'><dt>{Q}</dt><dd>Oui</dd></dl>",
    "table row": f"<table><tbody><tr><td class='k'>{Q}</td><td class='v'>oui</td></tr></tbody></table>",
    "sentence": f"<p>Vous avez répondu « Oui » à la question « {Q} ».</p>",
    "badge": f"<div class='field'><span class='k'>{Q}</span> <span class='badge badge-ok'>Oui</span></div>",
}


@pytest.mark.parametrize("kind", READ_ONLY)
def test_read_only_renderings_are_read(page: Page, kind):
    page.set_content(f"<html lang='fr'><body><main><h3>Ma demande</h3>{READ_ONLY[kind]}{MODIFY}</main></body></html>")
    assert AdhesionPage(page, SETTINGS).current_choice() == "OUI"

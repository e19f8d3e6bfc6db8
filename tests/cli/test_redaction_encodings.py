"""Secrets in every encoding: random passwords (printable ASCII and accented letters) written the ways
browsers, servers and trace writers write them (tests/support/encodings.py, written apart from the
redactor) are all masked, in text and in trace archives, base64 at every alignment included."""

from __future__ import annotations

import base64
import string
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.redact import MASK, Redactor
from support.encodings import FORM_KEEPS, base64_fragments, percent, text_variants

ACCENTED = "éèêëàâäîïôöùûüçÉÈÀÇœŒæßÿñ"
passwords = st.text(alphabet=st.sampled_from(sorted({chr(c) for c in range(0x20, 0x7F)} | set(ACCENTED))),
                    min_size=6, max_size=40).filter(lambda p: p == p.strip() and len(p) >= 6)
# around a value: a form body, a JSON document, an HTML attribute, a multipart part (raw), a URL
CONTEXTS = ["username=famille.x&password={}&remember=1", '{{"password":"{}","x":1}}', '<input value="{}">',
            '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n{}\r\n--b--', "/login?next=%2F&p={}#top"]
PROPERTY = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def redactor_for(password: str) -> Redactor:
    redactor = Redactor()
    redactor.add(password)
    return redactor


@PROPERTY
@given(password=passwords, context=st.sampled_from(CONTEXTS))
@example(password="Cnry~Q7*x!'()", context=CONTEXTS[0])  # the finding: Chromium's %7E and a bare *
def test_every_text_encoding_of_a_password_is_masked(password, context):
    redactor = redactor_for(password)
    for variant in text_variants(password):
        scrubbed = redactor.scrub(context.format(variant))
        assert variant not in scrubbed, (variant, scrubbed)
        assert MASK in scrubbed


@PROPERTY
@given(password=passwords, before=st.binary(max_size=5), after=st.binary(max_size=5), urlsafe=st.booleans())
def test_every_base64_of_every_encoding_is_masked_at_every_alignment(password, before, after, urlsafe):
    redactor = redactor_for(password)
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    for variant in text_variants(password):
        data = variant.encode("utf-8")
        blob = encode(before + data + after)
        scrubbed = redactor.scrub_bytes(b'{"postData":"' + blob + b'"}')
        assert not [f for f in base64_fragments(data) if f in scrubbed], (variant, blob)


@PROPERTY
@given(password=passwords)
def test_a_trace_archive_keeps_no_encoding_of_the_password(tmp_path_factory, password):
    path = tmp_path_factory.mktemp("trace") / "trace.zip"
    variants = sorted(text_variants(password))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("resources/form.dat", "username=u&password=" + percent(password, FORM_KEEPS, plus=True))
        archive.writestr("trace.network", "\n".join('{"postData":"%s"}' % v for v in variants))
        archive.writestr("resources/b64.dat", base64.b64encode(password.encode("utf-8")))
    redactor_for(password).scrub_zip(path)
    with zipfile.ZipFile(path) as archive:
        everything = b"".join(archive.read(i) for i in archive.infolist())
    assert [v for v in variants if v.encode("utf-8") in everything] == []
    assert not [f for f in base64_fragments(password.encode("utf-8")) if f in everything]


@pytest.mark.parametrize("form, expected", [
    ("Cnry%7EQ7*x%21%27%28%29", f"password={MASK}&x"),       # Chromium: « ~ » encoded, « * » not
    ("Cnry~Q7%2Ax%21%27%28%29", f"password={MASK}&x"),       # Python's quote_plus: the reverse
    ("Cnry%7eQ7%2ax%21%27%28%29", f"password={MASK}&x"),     # lower-case hex
    ("Cnry%257EQ7*x!'()", f"password={MASK}&x"),             # the « % » encoded once more
])
def test_the_findings_password_in_each_form_encoding(form, expected):
    assert redactor_for("Cnry~Q7*x!'()").scrub(f"password={form}&x") == expected


def test_html_and_json_escapes_mixed_in_one_value_are_masked():
    redactor = redactor_for('Mot"dePasse<é>')
    assert redactor.scrub('v="Mot\\&quot;de&#80;asse\\u003c\\u00E9&gt;"') == f'v="{MASK}"'


def test_short_values_and_unrelated_base64_are_left_alone():
    redactor = redactor_for("Martin-2026")
    image = base64.b64encode(bytes(range(256)) * 4)
    assert redactor.scrub_bytes(image) == image
    assert redactor.scrub("ab Martin 2026") == "ab Martin 2026"


def test_every_printable_character_in_one_password():
    canary = "Cnry " + string.punctuation + "Zz09éàçÉ"
    redactor = redactor_for(canary)
    assert all(v not in redactor.scrub(f"[{v}]") for v in text_variants(canary))

"""Benchmark: listing + details + PDFs of a 100-invoice family, the assistant against a plain HTTP client.

The plain client is how an HTTP-only scraper of this portal works (woob's module, the Home
Assistant integrations): urllib with a cookie jar, the login POST with the anti-forgery token
read from the login page, then « Mes factures », each detail (XHR) and each PDF, one at a time.
The assistant is the real thing: ``Runner`` + ``flows.invoices`` (Chromium start, browser login,
« Mes factures » read in the browser, details and PDFs fetched in the background by that page with
bounded concurrency, PDFs checked and written atomically); evidence off (no screenshots, no trace).

Both run alternately in one invocation against the same replica, served from a child process
(so neither client shares its GIL), with a per-request server latency standing for the real
portal's response time (``--latency-ms``; 0 = pure loopback). Families of 100 and 10 invoices
give the whole-run ratio (browser start and login included) and the per-invoice marginal ratio
``(t100 - t10) / 90``, medians of ``--runs`` runs. Last line: ``ratio=<whole-run ratio>``.

    .venv/bin/python bench/invoices.py [--runs 5] [--latency-ms 20] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BIG, SMALL = 100, 10
PASSWORD = "Bench-2026"


def family(username: str, count: int) -> dict:
    return {
        "username": username, "password": PASSWORD, "civilite": "Madame", "nom": "BENCH", "prenom": "Alice",
        "email": f"{username}@bench.example", "adhesion": "OUI", "must_change_password": False,
        "members": [{"idDynamic": 1, "prenom": "Alice", "nom": "BENCH", "avatar": "mere.png", "naissance": "1985-01-01"},
                    {"idDynamic": 2, "prenom": "Tom", "nom": "BENCH", "avatar": "garcon.png", "naissance": "2015-01-01"}],
        "invoices": [], "requests": [], "generate_invoices": count,
    }


def serve(latency_ms: int) -> int:
    """Child process: run the replica with the two bench families until stdin closes."""
    from assistant.replica import Faults, Replica, ReplicaConfig

    data = {"accounts": [family(f"famille.bench{BIG}", BIG), family(f"famille.bench{SMALL}", SMALL)]}
    faults = Faults(latency_ms={"*": latency_ms} if latency_ms else {})
    with tempfile.TemporaryDirectory() as tmp, \
            Replica(ReplicaConfig(data=data, faults=faults, outbox_dir=Path(tmp), wait_modal_ms=0)) as rep:
        print(rep.base_url, flush=True)
        sys.stdin.read()
    return 0


# -- the plain HTTP client ----------------------------------------------------------------------
TOKEN = re.compile(r'name="__RequestVerificationToken"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="__RequestVerificationToken"')
ROW = re.compile(r'<tr class="compte" id="([^"]+)"')
FIELD = {name: re.compile(rf'id="{ident}">([^<]*)<') for name, ident in (
    ("title", "hDetailFacture_Facture"), ("issued", "spanDetailFacture_DatEmissionFacture"),
    ("amount", "spanDetailFacture_MntTotalFacture"), ("due", "spanDetailFacture_DatLimitePaiementFacture"))}


def plain_client(base: str, username: str, folder: Path) -> dict[str, str]:
    """Login POST with the anti-forgery token, « Mes factures », each detail and PDF: one at a time."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(base + "Home/AccueilPublic").read().decode("utf-8")
    match = TOKEN.search(login_page)
    token = match.group(1) or match.group(2)
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "__RequestVerificationToken": token}).encode()
    landed = opener.open(base + "Home/Logon", data=form)
    landed.read()
    if not landed.url.endswith("/CompteCitoyen"):
        raise SystemExit(f"plain client: login failed ({landed.url})")
    listing = opener.open(base + "MonCompte").read().decode("utf-8")
    amounts = {}
    for ident in ROW.findall(listing):
        request = urllib.request.Request(base + f"MonCompte/DetailFacture?IdFactureUnique={ident}",
                                         headers={"X-Requested-With": "XMLHttpRequest"})
        detail = opener.open(request).read().decode("utf-8")
        values = {name: pattern.search(detail).group(1) for name, pattern in FIELD.items()}
        number = values["title"].split(" - ")[1]
        pdf = opener.open(base + f"MonCompte/TelechargerPdfFacture?IdFactureUnique={ident}").read()
        if not pdf.startswith(b"%PDF-"):
            raise SystemExit("plain client: not a PDF")
        (folder / f"{number}.pdf").write_bytes(pdf)
        amounts[number] = values["amount"]
    return amounts


# -- the assistant ------------------------------------------------------------------------------
def assistant(base: str, username: str, folder: Path, report_dir: Path, concurrency: int) -> dict[str, str]:
    from assistant.config import Settings, Timeouts
    from assistant.runner import Runner
    from flows.invoices import InvoiceOptions, listing_flow

    settings = Settings(base_url=base, timeouts=Timeouts.for_replica(), report_dir=report_dir,
                        screenshots=False, trace=False).with_credentials(username, PASSWORD)
    report = Runner(settings).run(listing_flow(InvoiceOptions(download_dir=folder, concurrency=concurrency)))
    run = report.result
    if report.outcome != "listed" or run.fallbacks or len(run.downloaded) != len(run.invoices):
        raise SystemExit(f"assistant run: {report.outcome} {report.message} fallbacks={run.fallbacks}")
    return {inv.number: str(inv.amount) for inv in run.invoices}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=20, help="server time per request (default 20)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.latency_ms)
    child = subprocess.Popen([sys.executable, __file__, "--serve", "--latency-ms", str(args.latency_ms)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        base = child.stdout.readline().strip()
        times: dict[tuple[str, int], list[float]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(args.runs):
                for size in (BIG, SMALL):
                    order = ("assistant", "plain") if (i + size) % 2 == 0 else ("plain", "assistant")
                    seen = {}
                    for who in order:
                        folder = Path(tmp) / f"{who}-{size}-{i}"
                        folder.mkdir()
                        username = f"famille.bench{size}"
                        t0 = time.perf_counter()
                        if who == "assistant":
                            seen[who] = assistant(base, username, folder, Path(tmp) / f"report-{size}-{i}",
                                                  args.concurrency)
                        else:
                            seen[who] = plain_client(base, username, folder)
                        times.setdefault((who, size), []).append(time.perf_counter() - t0)
                        if len(list(folder.glob("*.pdf"))) != size:
                            raise SystemExit(f"{who}: {size} PDFs expected")
                    if {k: v.replace("\u00a0", " ") for k, v in seen["plain"].items()} and \
                            sorted(seen["assistant"]) != sorted(seen["plain"]):
                        raise SystemExit("the two clients did not read the same invoices")
                print(f"run {i + 1}/{args.runs}: " + ", ".join(
                    f"{who} {size}: {times[(who, size)][-1]:.3f} s" for who in ("assistant", "plain")
                    for size in (BIG, SMALL)), flush=True)
    finally:
        child.stdin.close()
        child.wait(timeout=10)
    med = {key: statistics.median(values) for key, values in times.items()}
    whole = med[("assistant", BIG)] / med[("plain", BIG)]
    per_a = (med[("assistant", BIG)] - med[("assistant", SMALL)]) / (BIG - SMALL)
    per_p = (med[("plain", BIG)] - med[("plain", SMALL)]) / (BIG - SMALL)
    print(f"setting: replica in a child process, {args.latency_ms} ms server latency per request, "
          f"assistant concurrency {args.concurrency}, {args.runs} runs each (medians), evidence off")
    print(f"{BIG} invoices (listing + {BIG} details + {BIG} PDFs), browser start and login included: "
          f"assistant {med[('assistant', BIG)]:.3f} s, plain HTTP client {med[('plain', BIG)]:.3f} s")
    print(f"per invoice (marginal, ({BIG} - {SMALL} invoices) / {BIG - SMALL}): assistant {per_a * 1000:.2f} ms, "
          f"plain HTTP client {per_p * 1000:.2f} ms, ratio {per_a / per_p:.3f} (target <= 1.2)")
    print(f"whole run ratio {whole:.3f} (target <= 2.0)")
    print(f"ratio={whole:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

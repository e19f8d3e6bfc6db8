import assistant.runner as r
from invoice_helpers import list_invoices
class _S:
    @staticmethod
    def install(page, settings=None): return None
def test_smoke(session_replica, browser, tmp_path, monkeypatch):
    monkeypatch.setattr(r, "SessionModal", _S)
    report, run = list_invoices(session_replica, browser, tmp_path, download_dir=tmp_path/"pdf")
    print(report.outcome, report.message, [s.error for s in report.steps], report.duration_s)
    for inv in run.invoices: print(inv)
    print(run.fallbacks, run.downloaded)
    from assistant.invoice_output import table, to_csv
    print(table(run.invoices)); print(to_csv(run.invoices))
    assert report.outcome == "listed"

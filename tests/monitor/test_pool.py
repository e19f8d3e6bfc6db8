"""The worker pool: results in the jobs' order, an error kept as its job's result, stop() honoured."""

from __future__ import annotations

from assistant.monitor.pool import run_pool


def test_results_errors_and_stop_without_a_playwright_loop():
    started: list[int] = []

    def work(job: int) -> int:
        started.append(job)
        if job == 2:
            raise ValueError("boom")
        return job * 10

    done = run_pool(object(), [1, 2, 3], work, workers=1)
    assert [(d.job, d.result, type(d.error).__name__ if d.error else None) for d in done] == [
        (1, 10, None), (2, None, "ValueError"), (3, 30, None)]
    started.clear()
    done = run_pool(object(), [1, 2, 3], work, workers=1, stop=lambda: len(started) >= 1)
    assert [d.job for d in done] == [1] and started == [1]


def test_concurrent_jobs_on_the_browsers_loop_keep_their_own_results(browser):
    events: list[str] = []

    def work(n: int) -> tuple[int, str]:
        events.append("start")
        context = browser.new_context()
        try:
            page = context.new_page()
            page.set_content(f"<main><h1>page {n}</h1></main>")
            return n, page.get_by_role("heading").inner_text()
        finally:
            context.close()
            events.append("end")

    done = run_pool(browser, range(6), work, workers=3)
    assert [d.result for d in done] == [(n, f"page {n}") for n in range(6)]
    assert events[:3] == ["start", "start", "start"]  # three ran at once on the one browser

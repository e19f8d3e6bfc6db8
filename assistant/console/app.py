"""The console's Flask app: the start page, a run's live page (server-sent events), its files.

Pages are French and rendered with Jinja2's autoescaping; the live page's script writes text
only (``textContent``), never HTML. Credentials are read from the form of ``POST /runs`` and
handed to the run; no page, event or record ever carries them back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, send_from_directory, url_for

from .runs import ACTIONS, Refused, RunManager
from .security import Security

KEEPALIVE_S = 15.0


def create_app(manager: RunManager, security: Security) -> Flask:
    """The console app for ``manager``'s runs, guarded by ``security``."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024, TEMPLATES_AUTO_RELOAD=False)
    security.install(app)

    @app.context_processor
    def shared() -> dict:
        return {"csrf": security.csrf, "actions": ACTIONS}

    def index(error: str | None = None, status: int = 200, chosen: dict | None = None) -> Response:
        html = render_template("index.html", communes=list(manager.communes.values()), history=manager.history(),
                               error=error, chosen=chosen or {})
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    @app.get("/")
    def home() -> Response:
        return index()

    @app.post("/runs")
    def start() -> Response:
        form = request.form
        chosen = {"commune": form.get("commune", ""), "action": form.get("action", "")}
        try:
            job = manager.start(chosen["action"], chosen["commune"], form.get("identifiant", ""),
                                form.get("mot_de_passe", ""))
        except Refused as refused:
            # the form comes back with the commune only: the identifiant and password are not sent back
            return index(refused.message, refused.status, chosen)
        return redirect(url_for("run_page", run_id=job.id), 303)

    @app.get("/runs/<run_id>")
    def run_page(run_id: str) -> str:
        job = manager.get(run_id)
        record = job.summary() if job else manager.past(run_id)
        if record is None:
            abort(404)
        return render_template("run.html", run=record)

    @app.get("/runs/<run_id>/events")
    def events(run_id: str) -> Response:
        job = manager.get(run_id)
        if job is None:
            record = manager.past(run_id)
            if record is None:
                abort(404)
            steps = [{**s, "id": i, "type": "step", "event": "end",
                      "duration": s.get("duration_s"),
                      "screenshot": f"/runs/{run_id}/files/{s['screenshot']}" if s.get("screenshot") else None}
                     for i, s in enumerate(record.get("steps") or [])]
            end = {**{k: v for k, v in record.items() if k not in ("steps", "id")}, "run": run_id,
                   "id": len(steps), "type": "end"}
            return Response(_sse(steps + [end]), content_type="text/event-stream; charset=utf-8")
        header = request.headers.get("Last-Event-ID", "-1")
        last = int(header) if header.lstrip("-").isdigit() else -1

        def stream() -> Iterator[str]:
            seen = last
            while True:
                fresh, finished = job.events_after(seen, KEEPALIVE_S)
                if fresh:
                    seen = fresh[-1]["id"]
                    yield from _sse(fresh)
                elif not finished:
                    yield ": en attente\n\n"
                if finished and seen >= len(job.events) - 1:
                    return

        return Response(stream(), content_type="text/event-stream; charset=utf-8",
                        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @app.post("/runs/<run_id>/confirm")
    def confirm(run_id: str) -> Response:
        job = manager.get(run_id)
        if job is None:
            abort(404)
        answer = request.form.get("answer", "")
        if answer not in ("oui", "non"):
            return jsonify(ok=False, message="Réponse attendue : oui ou non."), 400
        if not job.give_answer(answer == "oui"):
            return jsonify(ok=False, message="Aucune question en attente pour cette exécution."), 409
        return jsonify(ok=True)

    @app.post("/runs/<run_id>/main")
    def by_hand(run_id: str) -> Response:
        try:
            job = manager.hand_over(run_id)
        except Refused as refused:
            return index(refused.message, refused.status)
        return redirect(url_for("run_page", run_id=job.id), 303)

    @app.get("/runs/<run_id>/files/<path:name>")
    def files(run_id: str, name: str) -> Response:
        folder = manager.runs_dir / run_id
        if not run_id.replace("-", "").isalnum() or not folder.is_dir():
            abort(404)
        # send_from_directory refuses any path leaving the run's folder
        # PDFs are downloaded (the invoices, the guide), pages and pictures are shown
        return send_from_directory(Path(folder).resolve(), name, max_age=0, as_attachment=name.endswith(".pdf"))

    @app.get("/api/runs")
    def api_runs() -> Response:
        return jsonify(manager.history())

    @app.errorhandler(404)
    def not_found(_) -> Response:
        return Response(render_template("refused.html", reason="Page introuvable dans la console."), 404)

    @app.errorhandler(405)
    def not_allowed(_) -> Response:
        return Response(render_template("refused.html", reason="Méthode non autorisée pour cette page."), 405)

    @app.errorhandler(413)
    def too_large(_) -> Response:
        return Response(render_template("refused.html", reason="Formulaire trop volumineux."), 413)

    return app


def _sse(events: list[dict]) -> Iterator[str]:
    for event in events:
        yield f"id: {event['id']}\nevent: {event['type']}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"

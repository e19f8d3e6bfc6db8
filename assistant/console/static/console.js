// Live page of one run: reads the server-sent events and writes text only (textContent), never HTML.
(function () {
  "use strict";
  const root = document.getElementById("run");
  if (!root) { return; }
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const steps = document.getElementById("steps");
  const state = document.getElementById("state");
  const rows = [];

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function seconds(value) { return (value || 0).toFixed(2).replace(".", ",") + " s"; }
  const STATUS = { ok: "réussie", failed: "échouée", skipped: "non jouée", running: "en cours" };

  function onStep(data) {
    let row = null;
    if (data.event === "start" || data.event === "skip" || !rows.length) {
      row = el("li");
      row.dataset.number = data.number;
      row.append(el("span", "title", (data.number === 0 ? "Connexion" : "Étape " + data.number) + " · " + data.title));
      row.append(el("span", "duration"));
      steps.append(row);
      rows.push(row);
    } else {
      row = rows.filter(function (r) { return r.dataset.number === String(data.number); }).pop() || rows[rows.length - 1];
    }
    const status = data.event === "skip" ? "skipped" : data.status || "running";
    row.className = status;
    row.setAttribute("aria-label", "Étape " + data.number + " : " + (STATUS[status] || status));
    if (data.event === "end") {
      row.querySelector(".duration").textContent = "— " + (STATUS[status] || status) + " en " + seconds(data.duration);
      if (data.error) { row.append(el("p", "error", data.error)); }
      if (data.screenshot) {
        const img = el("img");
        img.alt = "Capture de l’étape " + data.number + " (données personnelles masquées)";
        img.src = data.screenshot;
        row.append(img);
      }
    } else if (data.event === "skip") {
      row.querySelector(".duration").textContent = "— non jouée";
    }
  }

  function onConfirm(data) {
    const box = document.getElementById("confirm");
    document.getElementById("confirm-text").textContent = "Étape " + data.number + " : " + data.title + ". " + data.question;
    box.hidden = false;
    state.textContent = "En attente de votre confirmation avant « VALIDER ».";
    document.getElementById("confirm-yes").focus();
  }

  function answer(value) {
    const body = new URLSearchParams({ answer: value, csrf: csrf });
    fetch(root.dataset.confirm, { method: "POST", body: body, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (r) {
        document.getElementById("confirm").hidden = true;
        state.textContent = r.ok ? (value === "oui" ? "« VALIDER » confirmé : envoi en cours…" : "« VALIDER » refusé : rien n’est envoyé.") : r.message;
      });
  }
  document.getElementById("confirm-yes").addEventListener("click", function () { answer("oui"); });
  document.getElementById("confirm-no").addEventListener("click", function () { answer("non"); });

  function link(href, text) {
    const a = el("a", null, text);
    a.href = root.dataset.files + href;
    a.target = "_blank";
    a.rel = "noopener";
    return a;
  }

  function onEnd(data) {
    document.getElementById("confirm").hidden = true;
    state.textContent = data.exit_code === 0 ? "Terminé." : "Terminé avec un problème.";
    state.className = "state " + (data.exit_code === 0 ? "ok" : "ko");
    document.getElementById("verdict").hidden = false;
    document.getElementById("verdict-message").textContent = data.message || "";
    document.getElementById("verdict-next").textContent = data.next_action ? "Prochaine action : " + data.next_action : "";
    const lines = document.getElementById("verdict-lines");
    if (data.diagnosis) {
      document.getElementById("verdict-next").textContent = "";
      data.diagnosis.lines.forEach(function (line) { lines.append(el("li", null, line)); });
    }
    if (data.invoices) {
      const table = document.getElementById("invoices");
      const cols = ["N° de facture", "Libellé", "Émise le", "Montant", "À payer avant le", "Statut"];
      const head = el("tr");
      cols.concat(["PDF"]).forEach(function (c) { const th = el("th", null, c); th.scope = "col"; head.append(th); });
      table.tHead.append(head);
      data.invoices.forEach(function (inv) {
        const tr = el("tr");
        cols.forEach(function (c) { tr.append(el("td", null, inv[c])); });
        const cell = el("td");
        if (inv.pdf) { cell.append(link(inv.pdf, "PDF")); }
        tr.append(cell);
        table.tBodies[0].append(tr);
      });
      table.hidden = !data.invoices.length;
    }
    const links = document.getElementById("links");
    if (data.report) { links.append(link(data.report, "Rapport complet")); }
    Object.keys(data.files || {}).forEach(function (name) { links.append(link(data.files[name], name)); });
    document.getElementById("by-hand").hidden = !data.needs_person;
  }

  const source = new EventSource(root.dataset.events);
  source.addEventListener("step", function (e) { onStep(JSON.parse(e.data)); });
  source.addEventListener("confirm", function (e) { onConfirm(JSON.parse(e.data)); });
  source.addEventListener("note", function (e) { state.textContent = JSON.parse(e.data).message; });
  source.addEventListener("end", function (e) { onEnd(JSON.parse(e.data)); source.close(); });
  source.onerror = function () {
    if (state.className.indexOf("ok") < 0 && state.className.indexOf("ko") < 0) {
      state.textContent = "Connexion à la console perdue : rechargez la page.";
    }
  };
}());

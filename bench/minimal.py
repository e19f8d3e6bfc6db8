"""The hand-written baseline the benchmarks measure the assistant against: what a person would
write for the documented steps knowing the replica's markup (no evidence, no checks)."""

from __future__ import annotations


def walk_to_recap(page, base: str, username: str, password: str) -> None:
    """Log in, then steps 1 to 5 of the help page: the page showing « VALIDER » is open."""
    page.goto(base + "Home/AccueilPublic")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/CompteCitoyen")
    page.get_by_role("link", name="Mes factures").first.click()
    page.get_by_role("link", name="Adhésion à la facture/compte en ligne").click()
    page.get_by_role("button", name="MODIFIER").click()
    page.get_by_label("OUI").check()
    page.get_by_role("link", name="Aller à l’étape 2").click()

"""Where the adhesion wizard's steps live for each ``routes`` rendering, and the consent tools' cookies."""

from __future__ import annotations

from dataclasses import dataclass

# -- the adhesion wizard's routes per ``routes`` rendering (tenant-relative) [guess] ---------------
WIZARD_PATHS = {
    "path_steps": "Demande/NouvelleDemande/FACTURE/ADHESION",
    "query_steps": "Demarches/FactureEnLigne/Adhesion",
    "postback": "Demarche/Saisie/AdhesionFactureEnLigne",
}

# the name of the cookie each consent tool keeps the visitor's choice in [guess]
CONSENT_COOKIES = {"tarteaucitron": "tarteaucitron", "axeptio": "axeptio_cookies", "didomi": "didomi_token",
                   "home_made": "consentementCookies", "words_only": "choixVisiteur", "shadow_root": "prefsVisite"}


@dataclass(frozen=True)
class WizardRoutes:
    """Where each step of the adhesion wizard lives for one ``routes`` rendering (tenant-relative)."""

    family: str

    @property
    def start(self) -> str:
        """GET: step 1 (the adhesion link's target)."""
        return WIZARD_PATHS[self.family]

    @property
    def edit(self) -> str:
        """GET: step 1 with its form open (MODIFIER as a link) [guess]."""
        return self.start + "?Modifier=1"

    @property
    def step1_action(self) -> str:
        return self.start + ("?etape=1" if self.family == "query_steps" else "")

    @property
    def valider_action(self) -> str:
        return {"path_steps": self.start + "/Valider", "query_steps": self.start + "?etape=2"}.get(self.family, self.start)

    def step_fields(self, step: int) -> dict[str, str]:
        """Hidden fields the post-back wizard needs to know which step is posted."""
        return {"Etape": str(step)} if self.family == "postback" else {}

    def recap(self, wizard_id: str) -> str | None:
        """GET of the recap (None for the post-back wizard: the recap answers step 1's POST)."""
        return {"path_steps": f"{self.start}/Recapitulatif?IdDemarche={wizard_id}",
                "query_steps": f"{self.start}?etape=2&IdDemarche={wizard_id}"}.get(self.family)

    def confirmation(self, wizard_id: str) -> str | None:
        return {"path_steps": f"{self.start}/Confirmation?IdDemarche={wizard_id}",
                "query_steps": f"{self.start}?etape=3&IdDemarche={wizard_id}"}.get(self.family)

"""The contacts of Grand Périgueux's help page (« Comment accéder à ma facture en ligne ? »).

The service Enfance / Centres de loisirs handles the families' files (adhesion requests, invoices,
a blocked account); ALLO AGGLO is the agglomeration's own line, for the portal itself (down,
changed). Other communes' contacts are not known to the assistant.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

GRAND_PERIGUEUX = "grandperigueux"


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    why: str

    def sentence(self) -> str:
        return f"{self.name} : {self.phone} ({self.why})"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


SERVICE_ENFANCE = Contact("Service Enfance / Centres de loisirs", "05 24 13 83 38",
                          "le dossier de la famille : adhésion, factures, compte bloqué")
ALLO_AGGLO = Contact("ALLO AGGLO", "05 53 35 86 00", "le portail lui-même : indisponible ou modifié")
UNKNOWN_COMMUNE = Contact("la mairie de la commune", "numéro non connu de l’assistant",
                          "contacts connus pour le Grand Périgueux seulement")

#: which contact for which kind of problem: "family" (the family's file) or "portal" (the portal at fault)
CONTACTS = {"family": SERVICE_ENFANCE, "portal": ALLO_AGGLO}


def contact_for(kind: str, tenant: str) -> Contact:
    """The help page's contact for ``kind`` (« family » or « portal ») in commune ``tenant``."""
    return CONTACTS[kind] if tenant == GRAND_PERIGUEUX else UNKNOWN_COMMUNE

"""Writes the portal's confirmation e-mails to an outbox folder as ``.eml`` files."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

SENDER = "Espace Citoyens - Grand Périgueux <ne-pas-repondre@espace-citoyens.example>"


def write_confirmation(outbox: Path, *, to: str, civility: str, name: str, number: str,
                       label: str, answer: str, status: str, when: datetime) -> Path:
    """Write the confirmation e-mail of request ``number``; return the file written."""
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = to
    msg["Subject"] = f"Confirmation de votre demande N° {number} - {label}"
    msg["Date"] = format_datetime(when.astimezone())
    msg["Message-ID"] = make_msgid(domain="espace-citoyens.example")
    msg.set_content(
        f"Bonjour {civility} {name},\n\n"
        f"Votre demande « {label} » a bien été enregistrée le {when:%d/%m/%Y à %H:%M}.\n"
        f"N° de demande : {number}\n"
        f"Souhaitez-vous adhérer à la facture en ligne ? : {answer}\n"
        f"Statut : {status}\n\n"
        "Vous pouvez suivre vos demandes dans « Mes démarches » de votre espace famille.\n\n"
        "Ce courriel est envoyé automatiquement, merci de ne pas y répondre.\n"
        "Grand Périgueux - Service Enfance\n"
    )
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{when:%Y%m%dT%H%M%S}_{number}.eml"
    path.write_bytes(bytes(msg))
    return path

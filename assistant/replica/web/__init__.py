"""The replica's views, one blueprint per area of the portal (login, private pages, invoices,
adhesion wizard) plus the stand-ins outside the tenant (admin API, PayFiP, consent tool)."""

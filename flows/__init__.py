"""The journeys, as data: each module declares its steps (page methods) and a flow.

- :mod:`flows.login`: the login step every journey starts with;
- :mod:`flows.adhesion`: the six steps of the help page, activating « la facture en ligne »;
- :mod:`flows.status`: the read-only check behind ``assistant statut``;
- :mod:`flows.invoices` / :mod:`flows.payment`: consulting the invoices, handing one over to PayFiP;
- :mod:`flows.diagnostic`: the helpdesk's read-only diagnosis;
- :mod:`flows.monitor`: the monitor's read-only rehearsal.
"""

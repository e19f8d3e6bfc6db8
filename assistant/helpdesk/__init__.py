"""Tools for helpdesk agents: a read-only diagnosis of a family's account, an illustrated guide.

- :mod:`.diagnostic`: where is this family stuck, what to do next, whom to call;
- :mod:`.guide`: the six steps and the payment, illustrated from a rehearsal (HTML + PDF);
- :mod:`.contacts`: the help page's contacts;
- :mod:`.cli`: the ``diagnostic`` and ``guide`` commands (wired in by ``assistant/cli.py``).
"""

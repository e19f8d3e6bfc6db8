"""Monitoring the portal itself: scheduled read-only rehearsals that notice, with evidence, when a
commune's portal changes or breaks (issue 8).

One concern per module, arrows pointing down (cli -> scheduler -> rehearsal -> runner); the
journey is data the command layer picks (:data:`flows.monitor.FLOW`) and hands down, as
``assistant adhesion`` hands :data:`flows.adhesion.FLOW` to the runner:

- :mod:`.tenants`      the tenants file (TOML) and ``--shard i/n``
- :mod:`.pool`         N rehearsals at once on one browser (greenlets on the sync API's loop)
- :mod:`.rehearsal`    one tenant's rehearsal of the flow it is given, with its fingerprints
- :mod:`.fingerprint`  a page's structure: aria snapshot of the main region + forms and controls
- :mod:`.drift`        ok / cosmetic / breaking / outage / access, from typed outcomes and fingerprints
- :mod:`.history`      SQLite: runs, steps, drifts, alert state (safe for two monitors on one file)
- :mod:`.metrics`      Prometheus exposition (textfile after each run, ``/metrics`` while running)
- :mod:`.alerts`       Apprise notifications: N failures in a row, recovery, flapping
- :mod:`.reports`      JUnit and the French HTML summary
- :mod:`.scheduler`    one cycle over the tenants, ``--every`` with jitter, SIGTERM after the run
- :mod:`.cli`          ``assistant surveiller``, ``assistant baseline``, ``assistant historique``;
                       with ``--guide`` it also hands down the helpdesk's guide maker, which the
                       scheduler calls when a rehearsal saw the portal change and went through

A monitor never changes an account: its flow has no writing step, the runner's rehearsal mode
is on, and a network guard refuses every non-GET request once the page with « VALIDER » shows.
"""

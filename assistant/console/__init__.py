"""The agents' web console (``assistant console``): French pages on 127.0.0.1, built on Flask.

- :mod:`.security`: access token (cookie after the first ``?token=`` visit), Host check, CSRF;
- :mod:`.runs`: the run manager (a worker thread and a browser per run, a lock per family);
- :mod:`.app`: the Flask app factory (pages, live steps as server-sent events, files);
- :mod:`.server`: binds 127.0.0.1, prints the address with its token, serves until Ctrl-C.
"""

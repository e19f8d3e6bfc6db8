"""The invoices' domain: the model (:mod:`.model`), French amounts and dates (:mod:`.french`) and the
output formats (:mod:`.output`).

Pages read the portal into these types, flows and the CLI use them; this package imports nothing
from pages or flows (only :mod:`assistant.labels`), so every layer above may import it.
"""

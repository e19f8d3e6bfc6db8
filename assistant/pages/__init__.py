"""The portal's pages: one module per page, and the parts they share. No logic lives here.

- :mod:`.clues` what tells a page (``PROOFS``, ``STATES``, ``HINTS``), :mod:`.controls` its
  controls by their French words, :mod:`.watch` the tab's documents and actions;
- :mod:`.component` overlays and fragments (« Merci de patienter... », « Prolonger ma session »,
  the login window, the invoices table and an invoice's detail), :mod:`.consent` cookie banners;
- :mod:`.interruptions` what can replace any page (maintenance, HTTP 5xx, the public home);
- :mod:`.base` the page object, one module per page (:mod:`.home`, :mod:`.dashboard`...);
- :mod:`.table` the one table of pages and :func:`~.table.which_page`.

Imports point down this list only.
"""

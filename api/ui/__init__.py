"""The review workspace: server-rendered pages (Jinja2) under /ui where the department reviews, adjusts and
compares plans. Its router is ``api.ui.views.router``; its accounts and sessions live in :mod:`api.ui.models`."""

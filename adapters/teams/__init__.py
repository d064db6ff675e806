"""The coach in Microsoft Teams, on the Microsoft 365 Agents SDK for Python.

``mount`` adds ``POST /api/messages`` to the shared server; ``agent`` hands activities to the
core; ``translate`` and ``render`` convert between Activities and the core's models;
``references``, ``dedupe`` and ``messenger`` keep what proactive nudges need; ``package``
builds the app zip that a Teams admin uploads.
"""

"""The coach in Slack: a slack-bolt ``AsyncApp`` mounted on the shared aiohttp server.

Modules follow bolt-python's split: ``translate`` turns payloads into the core's ``Incoming`` and
``Action``, ``render`` turns a ``Reply`` into Block Kit, and the listener modules only wire the
two together. ``mount.mount`` is the entry point the server calls.
"""

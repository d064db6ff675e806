"""The commands that need storage, one module per concept, behind one router.

``subscriptions`` (weekly nudges), ``journal`` (private reflections and the Reflect form),
``export`` (the journal as a file), ``forget`` (``forget me``) and ``reflections`` (a reply
to a nudge, on any platform). :func:`bot.commands.router.build` wires them together.
"""

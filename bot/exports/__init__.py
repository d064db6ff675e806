"""Journal exports as neutral documents: the journal, NMC reflective accounts, appraisal notes.

The core builds a :class:`~bot.exports.document.Document`; renderers in ``adapters/documents``
turn it into Markdown, Word or PDF. So what an export says is decided once, here.
"""

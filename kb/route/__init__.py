"""The request route planner: which channels to use, in which order, for one case.

`rules` declares the channels and the legal facts they rest on (as data, each with sources),
`kbview` reads what the planner needs from a build's kb.db, `planner` turns a request into
numbered steps (pure functions) with one module per job (`request`, `case`, `step`, `network`,
`emergency`, `preserve`, `eu_orders`, `direct`, `assistance`), `urgent` builds the "child at risk"
block of entry pages and `drafts` the pre-filled request drafts. Nothing here imports Flask.
"""

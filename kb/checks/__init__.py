"""The content checker, split by job; `kb.schema` is its public face.

- `text`: patterns and helpers shared by the checks (citations, sentences, suggestions);
- `values`: one check per field type, as a table `{type: function}`;
- `entry`: one entry's fields and groups, flattened into sourced facts;
- `body`: one entry's sections, and citations and uncited details in its sentences;
- `crossrefs`: the bibliography, and what entries say about each other (ids, links, citations).
"""

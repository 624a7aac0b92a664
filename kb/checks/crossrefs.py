"""Checks across files: the bibliography (ids, fields), and what entries say about each other:
ids that match file names, related topics, internal links and their anchors, citations of
unknown sources and sources nobody cites."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb import site
from kb.checks.entry import EntryValidator
from kb.checks.text import INTERNAL_RE, LINK_RE, SLUG_RE, SOURCE_ID_RE, describe, fmt_choices, is_country_code, suggest
from kb.content import Entry, SourceFile
from kb.fields import SOURCE_FIELDS
from kb.kinds import KINDS
from kb.problems import Problem


def check_sources(files: list[SourceFile], today: dt.date, problems: list[Problem]) -> dict:
    """Validate the bibliography; return id -> cleaned fields (plus file and line)."""
    sources: dict = {}
    known = {f.name: f for f in SOURCE_FIELDS}
    for sf in files:
        for sid, data in sf.sources.items():
            sid = str(sid)
            line = sf.lines.get(sid, 1)
            if not SOURCE_ID_RE.match(sid):
                problems.append(Problem(sf.path, line, sid, "a source id must be lower-case letters, digits and "
                                        "hyphens", "rename it, e.g. 'coe-185-declarations'"))
            if sid in sources:
                first = sources[sid]
                problems.append(Problem(sf.path, line, sid, f"the source id is already used in {first['file']}:"
                                        f"{first['line']}", "rename one of them, or cite the existing one"))
                continue
            if not isinstance(data, dict):
                problems.append(Problem(sf.path, line, sid, f"expected title, url and accessed under the id, "
                                        f"received {describe(data)}", "indent 'title:', 'url:', 'accessed:' under it"))
                continue
            lines: dict[tuple, int] = {(sid,): line}
            lines.update({(sid, k[1]): v for k, v in sf.lines.items() if isinstance(k, tuple) and k[0] == sid})
            v = EntryValidator(Entry("sources", sf.path, sid, data, lines, [], "", 1, ""), today, problems)
            for key in data:
                if key not in known:
                    v.problem((sid, key), "unknown field", suggest(key, known) or f"known fields: {fmt_choices(known)}")
            clean = {"file": sf.path, "line": line, "id": sid}
            for f in SOURCE_FIELDS:
                if f.name not in data:
                    if f.required:
                        v.problem((sid,), f"the required field '{f.name}' is missing", f"add '{f.name}:' ({f.help})")
                    continue
                text = v.leaf(f, data[f.name], (sid, f.name))
                if text is not None:
                    clean[f.name] = text
            sources[sid] = clean
    return sources



@dataclass
class EntryRefs:
    """What the checks across files need of one entry, kept between builds so that a rebuild
    checks the cross-references of every entry without reading the unchanged files again."""

    kind: str
    key: str
    path: str
    id_field: str
    declared: object  # the id the front matter gives (code or slug), None when missing
    id_line: int
    related: list  # [(position, slug, line)]
    links: list  # [(target, line, where)] of every Markdown link in the body
    sections: list  # section ids, in file order
    cited: list  # the source ids the entry cites (each once)


def refs_of(e: Entry, citations: list[tuple]) -> EntryRefs:
    """The cross-reference summary of a checked entry (section ids are set by the check)."""
    id_field = KINDS[e.kind].id_field
    related = e.front.get("related")
    rel = [(i, slug, e.line_of("related", i)) for i, slug in enumerate(related)] if isinstance(related, list) else []
    links = []
    for s in e.sections + [None]:
        text, first = (s.markdown, s.line + 1) if s else (e.intro, e.body_line)
        for m in LINK_RE.finditer(text):
            links.append((m.group(1), first + text[: m.start()].count("\n"), f"section {s.id}" if s else "intro"))
    return EntryRefs(e.kind, e.key, e.path, id_field, e.front.get(id_field), e.line_of(id_field), rel, links,
                     [s.id for s in e.sections], list(dict.fromkeys(c[0] for c in citations)))


def cross_checks(refs: list[EntryRefs], sources: dict, citations: list[tuple], problems: list[Problem]) -> None:
    """Check ids, related topics, internal links and citations across every entry. `citations`
    holds the full citations (with lines) of the entries checked in this run; the cited ids of
    the others come from their refs (they cited only known sources when last checked, and an
    entry citing a source that changed or went is checked again)."""
    by_kind: dict[str, dict[str, EntryRefs]] = {k: {} for k in KINDS}
    for e in refs:
        id_field, declared = e.id_field, e.declared
        if e.kind == "countries":
            if isinstance(declared, str) and not is_country_code(declared):
                problems.append(Problem(e.path, e.id_line, "code", f"'{declared}' is not an ISO 3166-1 "
                                        "alpha-2 code", "use two letters, e.g. DE (XK for Kosovo)"))
            elif isinstance(declared, str) and declared != declared.upper():
                problems.append(Problem(e.path, e.id_line, "code", f"expected upper case, received "
                                        f"'{declared}'", f"write code: {declared.upper()}"))
        if declared is not None and str(declared).lower() != e.key.lower():
            problems.append(Problem(e.path, e.id_line, id_field, f"'{declared}' does not match the file "
                                    f"name '{e.key}.md'", f"rename the file to {str(declared).lower()}.md or fix "
                                    f"the {id_field}"))
        if e.kind != "countries" and not SLUG_RE.match(e.key):
            problems.append(Problem(e.path, 1, "file", f"'{e.key}' is not a valid slug",
                                    "use lower-case letters, digits and hyphens in the file name"))
        key = e.key.lower()
        if key in by_kind[e.kind]:
            problems.append(Problem(e.path, 1, id_field, f"duplicates {by_kind[e.kind][key].path}",
                                    "keep one entry per code or slug"))
        by_kind[e.kind][key] = e
    # related topics and internal links
    for e in refs:
        for i, slug, line in e.related:
            if isinstance(slug, str) and slug not in by_kind["topics"]:
                problems.append(Problem(e.path, line, f"related.{i}", f"no topic '{slug}'",
                                        suggest(slug, by_kind["topics"]) or "create content/topics/"
                                        f"{slug}.md or remove it"))
        for target, line, where in e.links:
            im = INTERNAL_RE.match(target)
            if not im:
                if not site.linkable(target):
                    problems.append(Problem(e.path, line, where, f"the link '{target}' points nowhere on this "
                                            "site", "link to /countries/<code>, /providers/<slug> or "
                                            "/topics/<slug> (optionally with #section), or to a page declared "
                                            "in kb/site.py PAGES (/search, /compare, /route ...)"))
                continue
            kind, key, anchor = im.groups()
            target_entry = by_kind[kind].get(key.lower())
            if not target_entry:
                problems.append(Problem(e.path, line, where, f"the link '{target}' names an entry that does not "
                                        "exist", suggest(key.lower(), by_kind[kind]) or "check the code or slug"))
            elif anchor and anchor not in set(target_entry.sections):
                problems.append(Problem(e.path, line, where, f"the link '{target}' names a section that does "
                                        f"not exist in {target_entry.path}",
                                        suggest(anchor, [x for x in target_entry.sections if x])
                                        or "sections there: " + ", ".join(target_entry.sections)))
    cited = {sid for e in refs for sid in e.cited}
    for sid, kind, key, where, line in citations:
        cited.add(sid)
        if sid not in sources:
            ref = by_kind.get(kind, {}).get(key.lower())
            problems.append(Problem(ref.path if ref else kind, line, where, f"cites the unknown source '{sid}'",
                                    suggest(sid, sources) or "add it to content/sources or fix the id"))
    for sid, src in sources.items():
        if sid not in cited:
            problems.append(Problem(src["file"], src["line"], sid, "this source is never cited",
                                    "cite it from an entry ([@id] or source: id) or remove it"))

"""Print cards: one per country and per provider, at most two A4 pages, the emergency route first;
and a course pack of chosen cards (one card after another, each starting on a new page)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, render_template, request, url_for

from kb.kinds import CARD_KINDS, url_rule
from kb.web import summaries
from kb.web.params import bad, csv_list
from kb.web.present import entry_view

CARD_KIND = url_rule(only_cards=True)  # the kinds with a print card (kb.kinds)
bp = Blueprint("cards", __name__)
VALUE_CHARS = 260  # a longer value is cut on the card; the page has it whole
NOTE_CHARS = 140
MAX_PACK = 120
MAX_PDF_PACK = 15  # WeasyPrint takes about a second a card; larger packs print from the browser


def card_view(kind: str, key: str) -> dict:
    view = entry_view(kind, key)
    view["value_chars"], view["note_chars"] = VALUE_CHARS, NOTE_CHARS
    return view


def query_args() -> dict[str, Any]:
    """This request's query for `url_for` (values as lists: repeated ?countries=de&countries=fr are kept)."""
    return dict(request.args.to_dict(flat=False))


@bp.get(f"/{CARD_KIND}/<key>/card")
def card(kind, key):
    view = card_view(kind, key)
    return render_template("card.html", cards=[view], title=f"{view['entry']['name']}: print card", pack=False,
                           pdf_url=url_for("cards.card_pdf", kind=kind, key=view["entry"]["key"], **query_args()))


def as_pdf(html: str, name: str) -> Response:
    from kb.web.pdf import render_pdf

    return Response(render_pdf(html, request.url_root), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


@bp.get(f"/{CARD_KIND}/<key>/card.pdf")
def card_pdf(kind, key):
    view = card_view(kind, key)
    html = render_template("card.html", cards=[view], title=f"{view['entry']['name']}: print card", pack=False,
                           for_pdf=True, pdf_url=url_for("cards.card_pdf", kind=kind, key=view["entry"]["key"]))
    stamp = g.store.meta().get("stamp", "")
    return as_pdf(html, f"card-{kind}-{view['entry']['key']}-{stamp}")


@bp.get("/cards.pdf")
def pack_pdf():
    cards = pack_cards()
    if len(cards) > MAX_PDF_PACK:
        bad(f"A PDF pack holds at most {MAX_PDF_PACK} cards (this one has {len(cards)}): open /cards with the "
            "same choice and print it from the browser, or split the pack.")
    html = render_template("card.html", cards=cards, title=f"Course pack: {len(cards)} cards", pack=True,
                           for_pdf=True, pdf_url=url_for("cards.pack_pdf", **query_args()))
    return as_pdf(html, f"course-pack-{len(cards)}-cards-{g.store.meta().get('stamp', '')}")


@bp.get("/cards")
def pack():
    """/cards?countries=de,fr&providers=google (or countries=all): a course pack of print cards."""
    cards = pack_cards()
    return render_template("card.html", cards=cards, title=f"Course pack: {len(cards)} cards", pack=True,
                           pdf_url=url_for("cards.pack_pdf", **query_args()))


def pack_cards() -> list[dict]:
    chosen = []
    for kind in CARD_KINDS:
        keys = [k.lower() for k in csv_list(kind)]
        every = [e["key"] for e in summaries.entries(kind, with_filters=False)]
        if "all" in keys:
            keys = every
        unknown = [k for k in keys if k not in every]
        if unknown:
            bad(f"Unknown {kind} in the pack: {', '.join(unknown)[:200]}.")
        chosen += [(kind, k) for k in dict.fromkeys(keys)]
    if not chosen:
        bad("Name the cards for the pack, e.g. /cards?countries=de,fr&providers=google (or countries=all).")
    if len(chosen) > MAX_PACK:
        bad(f"A pack holds at most {MAX_PACK} cards.")
    return [card_view(kind, key) for kind, key in chosen]

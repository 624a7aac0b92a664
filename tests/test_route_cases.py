"""The route planner on the real content: a table of cases, each with the channels expected in order.

The real content is built once per session (`real_build` in conftest.py); the planner reads that
build, as the site does. Each expectation follows from the rules in kb/route/rules.py and the
facts of the entries named (Convention status, EU membership, provider entities ...).
"""
from __future__ import annotations

import datetime as dt

import pytest

from kb.route import rules as R
from kb.route.kbview import KBView
from kb.route.planner import PlanError, parse, plan
from kb.store import Store

TODAY = dt.date(2026, 12, 1)  # after 18 August 2026: the e-evidence Regulation applies
BEFORE_EEVIDENCE = dt.date(2026, 8, 17)


@pytest.fixture(scope="module")
def kb(real_build):
    store = Store(real_build / "current" / "kb.db")
    yield KBView(store)
    store.close()


def q(text: str) -> dict:
    return dict(part.split("=", 1) for part in text.split())


def route(kb, text: str, today: dt.date = TODAY) -> dict:
    return plan(parse(q(text), kb), kb, today)


def channels(result: dict) -> list[str]:
    return [f"{s['stage'][0]}:{s['channel']}" for s in result["steps"]]


E, P, O = "e:", "p:", "o:"
CASES = [
    # (query, today, expected channels in order)
    # a child at risk, suspect on Instagram, French investigator: everything, emergency first
    ("from=fr provider=meta data=content urgent=1", TODAY,
     [E + "provider-emergency", E + "24-7-network", E + "interpol", P + "provider-preservation", P + "24-7-network",
      P + "eu-preservation-order", O + "eu-production-order", O + "mla"]),
    # the same one day before the Regulation applies: no EU orders
    ("from=fr provider=meta data=content urgent=1", BEFORE_EEVIDENCE,
     [E + "provider-emergency", E + "24-7-network", E + "interpol", P + "provider-preservation", P + "24-7-network",
      O + "mla"]),
    ("from=fr provider=meta data=subscriber", TODAY,
     [P + "provider-preservation", P + "24-7-network", P + "eu-preservation-order", O + "provider-direct",
      O + "eu-production-order"]),
    # Meta answers foreign requests only in part: no direct request for traffic data, so MLA is the fallback
    ("from=fr provider=meta data=traffic", TODAY,
     [P + "provider-preservation", P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order"]),
    # subscriber data behind an IP at a Dutch ISP, German investigator
    ("from=de country=nl data=subscriber", TODAY,
     [P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order", O + "eio"]),
    ("from=de country=nl data=subscriber", dt.date(2026, 6, 1), [P + "24-7-network", O + "eio"]),
    ("from=de country=nl data=content urgent=1", TODAY,
     [E + "24-7-network", E + "interpol", P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order",
      O + "eio", O + "mla"]),
    # Denmark: not bound by the e-evidence Regulation nor by the EIO, either way round
    ("from=dk country=nl data=subscriber", TODAY, [P + "24-7-network", O + "mla"]),
    ("from=nl country=dk data=subscriber", TODAY, [P + "24-7-network", O + "mla"]),
    ("from=dk country=se data=content urgent=1", TODAY,
     [E + "24-7-network", E + "interpol", P + "24-7-network", O + "mla"]),
    # Ireland: bound by the Regulation, outside the EIO, only a signatory of the Convention
    ("from=fr country=ie data=content", TODAY, [P + "eu-preservation-order", O + "eu-production-order", O + "mla"]),
    ("from=fr country=ie data=subscriber", TODAY,
     [P + "eu-preservation-order", O + "provider-direct", O + "eu-production-order"]),
    ("from=ie country=fr data=traffic", TODAY, [P + "eu-preservation-order", O + "eu-production-order"]),
    # CLOUD Act: US-UK in force since 3 October 2022, US-AU since 30 January 2024
    ("from=gb provider=google data=content", TODAY,
     [P + "provider-preservation", P + "24-7-network", O + "cloud-act", O + "mla"]),
    ("from=gb provider=meta data=content", dt.date(2022, 10, 2),
     [P + "provider-preservation", P + "24-7-network", O + "mla"]),
    ("from=gb provider=meta data=content", dt.date(2022, 10, 3),
     [P + "provider-preservation", P + "24-7-network", O + "cloud-act", O + "mla"]),
    ("from=au provider=meta data=content", TODAY,
     [P + "provider-preservation", P + "24-7-network", O + "cloud-act", O + "mla"]),
    ("from=au provider=meta data=content", dt.date(2024, 1, 29),
     [P + "provider-preservation", P + "24-7-network", O + "mla"]),
    ("from=us country=gb data=content", TODAY, [P + "24-7-network", O + "cloud-act", O + "mla"]),
    ("from=us country=au data=traffic", TODAY, [P + "24-7-network", O + "cloud-act"]),
    # no CLOUD Act agreement with Canada or Mexico
    ("from=ca provider=google data=subscriber", TODAY, [P + "provider-preservation", P + "24-7-network", O + "mla"]),
    ("from=mx provider=meta data=content", TODAY, [P + "provider-preservation", O + "mla"]),
    # Second Protocol parties (Serbia, Japan, Hungary): not in force, so no Art. 7 step
    ("from=jp country=rs data=subscriber", TODAY, [P + "24-7-network", O + "mla"]),
    ("from=hu country=rs data=subscriber", TODAY, [P + "24-7-network", O + "mla"]),
    # non-Parties to the Convention: no 24/7 network, INTERPOL in emergencies
    ("from=kr country=jp data=content", TODAY, [O + "mla"]),
    ("from=th country=ph data=subscriber urgent=1", TODAY, [E + "interpol", O + "mla"]),
    ("from=xk country=al data=content urgent=1", TODAY, [E + "interpol", O + "mla"]),
    # the data is in your own country: domestic procedure, no cross-border step
    ("from=nl country=nl data=subscriber", TODAY, []),
    # a provider with an EU establishment in another Member State, and in the requesting state itself
    ("from=de provider=reddit data=subscriber", TODAY,
     [P + "provider-preservation", P + "24-7-network", P + "eu-preservation-order", O + "provider-direct",
      O + "eu-production-order", O + "eio"]),
    ("from=nl provider=reddit data=subscriber", TODAY,
     [P + "provider-preservation", P + "24-7-network", O + "provider-direct"]),
    # without the requesting country: conditional treaty channels, emergency first
    ("provider=meta urgent=1", TODAY,
     [E + "provider-emergency", E + "24-7-network", E + "interpol", P + "provider-preservation", P + "24-7-network",
      O + "mla"]),
    # the child's country named with a provider that has no entity there: its channels for the emergency,
    # the provider's jurisdiction for the rest
    ("from=fr provider=meta country=de data=content urgent=1", TODAY,
     [E + "provider-emergency", E + "24-7-network", E + "interpol", P + "provider-preservation", P + "24-7-network",
      P + "eu-preservation-order", O + "eu-production-order", O + "mla"]),
    # a country where the provider has an entity is where the data is
    ("from=fr provider=meta country=ie data=content", TODAY,
     [P + "provider-preservation", P + "eu-preservation-order", O + "eu-production-order", O + "mla"]),
    ("country=de urgent=1", TODAY, [E + "24-7-network", E + "interpol", P + "24-7-network", O + "mla"]),
    ("provider=telegram data=content", TODAY, [P + "provider-preservation", O + "mla"]),
    ("from=fr provider=telegram data=content", TODAY,
     [P + "provider-preservation", P + "eu-preservation-order", O + "eu-production-order", O + "eio", O + "mla"]),
    # UK and EU after Brexit: no EU instrument
    ("from=gb country=fr data=content", TODAY, [P + "24-7-network", O + "mla"]),
    ("from=fr country=gb data=content", TODAY, [P + "24-7-network", O + "mla"]),
    ("from=ch country=de data=traffic", TODAY, [P + "24-7-network", O + "mla"]),
    ("from=cr country=hu data=subscriber", TODAY, [P + "24-7-network", O + "provider-direct"]),
    ("from=ua provider=microsoft data=subscriber", TODAY,
     [P + "provider-preservation", P + "24-7-network", O + "provider-direct"]),
    ("from=it provider=tiktok data=subscriber urgent=1", TODAY,
     [E + "provider-emergency", P + "provider-preservation", P + "eu-preservation-order", O + "provider-direct",
      O + "eu-production-order"]),
    # Apple names an EU establishment (Ireland): EU orders from Spain
    ("from=es provider=apple data=content", TODAY,
     [P + "provider-preservation", P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order",
      O + "mla"]),
    ("from=be country=lu data=content", TODAY,
     [P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order", O + "eio", O + "mla"]),
    ("from=se country=fi data=subscriber", TODAY,
     [P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order", O + "eio"]),
    ("from=pl country=cz data=traffic", TODAY,
     [P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order", O + "eio"]),
    # no data type given: planned for content, and the gaps say so
    ("from=fr country=nl", TODAY,
     [P + "24-7-network", P + "eu-preservation-order", O + "eu-production-order", O + "eio", O + "mla"]),
]


@pytest.mark.parametrize("query,today,expected", CASES, ids=[f"{c[0]} @{c[1]}" for c in CASES])
def test_route_case_lists_the_channels_in_order(kb, query, today, expected):
    assert channels(route(kb, query, today)) == expected


def test_the_table_has_at_least_40_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("query,today,expected", CASES, ids=[f"{c[0]} @{c[1]}" for c in CASES])
def test_every_step_is_numbered_in_stage_order_and_sourced(kb, query, today, expected):
    result = route(kb, query, today)
    steps = result["steps"]
    assert [s["n"] for s in steps] == list(range(1, len(steps) + 1))
    order = [R.STAGES.index(s["stage"]) for s in steps]
    assert order == sorted(order)
    for s in steps:
        assert s["channel"] in R.CHANNELS
        assert s["who"] and s["sources"], s
        for src in s["sources"]:
            assert src["title"] != src["id"] and src["url"].startswith("http"), src  # resolved in the build
    if q(query).get("data", "content") == "content" and q(query).get("from") != q(query).get("country"):
        assert steps[-1]["channel"] == "mla"  # the fallback that always appears for content


def test_route_lists_emergency_first_when_urgent(kb):
    result = route(kb, "from=fr provider=meta data=content urgent=1")
    first = result["steps"][0]
    assert first["stage"] == "emergency" and first["channel"] == "provider-emergency"
    assert "facebook.com/records" in " ".join(first["how"])
    assert any("child" in x for x in first["limits"])  # Meta's own criteria


def test_eu_orders_say_the_date_they_apply_from_and_today(kb):
    result = route(kb, "from=de country=nl data=subscriber")
    epoc = next(s for s in result["steps"] if s["channel"] == "eu-production-order")
    assert any("2026-08-18" in x and "2026-12-01" in x for x in epoc["limits"])
    assert any("all criminal offences" in x for x in epoc["limits"])
    early = route(kb, "from=de country=nl data=subscriber", dt.date(2026, 6, 1))
    assert any("2026-08-18" in g and "2026-06-01" in g for g in early["gaps"])


def test_eu_production_order_for_content_states_the_threshold_and_csam_offences(kb):
    result = route(kb, "from=be country=lu data=content")
    epoc = next(s for s in result["steps"] if s["channel"] == "eu-production-order")
    text = " ".join(epoc["limits"])
    assert "at least 3 years" in text and "2011/93/EU" in text
    assert "route-gesetze-2023-1543-art5" in [s["id"] for s in epoc["sources"]]


def test_denmark_is_named_in_the_gaps_when_it_blocks_eu_instruments(kb):
    result = route(kb, "from=dk country=nl data=subscriber")
    assert any("Denmark" in g and "2023/1543" in g for g in result["gaps"])
    assert any("European Investigation Order" in g and "Denmark" in g for g in result["gaps"])


def test_second_protocol_not_in_force_is_said_not_guessed(kb):
    result = route(kb, "from=hu country=rs data=subscriber")
    assert not any(s["channel"].startswith("second-protocol") for s in result["steps"])
    assert any("Art. 7" in g and "three" in g for g in result["gaps"])


def test_second_protocol_art7_appears_once_in_force_except_where_reserved(kb, monkeypatch):
    monkeypatch.setattr(R, "PROTOCOL_IN_FORCE", dt.date(2026, 1, 1))
    result = route(kb, "from=hu country=rs data=subscriber")
    assert "o:second-protocol-art7" in channels(result)
    reserved = route(kb, "from=hu country=jp data=subscriber")
    assert "o:second-protocol-art7" not in channels(reserved)
    assert any("Japan reserved" in g for g in reserved["gaps"])


def test_missing_facts_become_instructions_not_guesses(kb):
    am = kb.country("am")
    assert not am.has("central_authority")  # Armenia's central authority is not curated
    result = route(kb, "from=fr country=am data=content")
    mla = result["steps"][-1]
    assert mla["channel"] == "mla" and "not curated" in " ".join(mla["how"])
    assert "ask your own central authority" in " ".join(mla["how"])
    assert any("central authority is not curated" in g for g in result["gaps"])
    network = next(s for s in result["steps"] if s["channel"] == "24-7-network")
    assert any("Not curated" in x for x in network["languages"])


def test_restricted_24_7_point_says_how_to_reach_it(kb):
    result = route(kb, "from=fr country=de data=content urgent=1")
    network = next(s for s in result["steps"] if s["channel"] == "24-7-network")
    assert "restricted" in " ".join(network["how"]) and "your 24/7 point" in " ".join(network["how"])


def test_mla_step_carries_the_central_authority_and_its_languages(kb):
    result = route(kb, "from=fr country=de data=content")
    mla = result["steps"][-1]
    assert mla["channel"] == "mla" and "Bundesamt für Justiz" in mla["who"]
    assert any("German" in x for x in mla["languages"])
    assert any("Art. 27" in x for x in mla["limits"])


@pytest.mark.parametrize("query,message", [
    ("from=zz provider=meta", "no country with the code 'zz'"),
    ("from=fr provider=nope", "no provider 'nope'"),
    ("from=fr", "Say where the data is"),
    ("from=fr country=nl data=ip", "must be one of subscriber, traffic, content"),
    ("from=fr country=nl urgent=2", "must be 0 or 1"),
    ("from=fr country=" + "x" * 80, "too long"),
])
def test_bad_parameters_are_refused_with_a_sentence(kb, query, message):
    with pytest.raises(PlanError, match=message):
        parse(q(query), kb)


def test_childs_country_gets_the_emergency_steps_and_the_provider_the_rest(kb):
    result = route(kb, "from=fr provider=meta country=de data=content urgent=1")
    by_channel = {(s["stage"], s["channel"]): s for s in result["steps"]}
    assert "Germany" in by_channel[("emergency", "24-7-network")]["title"]
    assert "Germany" in by_channel[("emergency", "interpol")]["title"]
    assert "United States" in by_channel[("preserve", "24-7-network")]["title"]
    assert "United States" in by_channel[("obtain", "mla")]["title"]
    assert any("names no entity in Germany" in g for g in result["gaps"])


def test_cloud_act_step_rests_on_the_entries_agreement_facts(kb):
    result = route(kb, "from=gb provider=google data=content")
    step = next(s for s in result["steps"] if s["channel"] == "cloud-act")
    assert "2022-10-03" in " ".join(step["how"]) and "2026-12-01" in " ".join(step["how"])
    assert "natlawreview-us-uk-cloud-act" in [s["id"] for s in step["sources"]]
    canada = route(kb, "from=ca provider=google data=content")
    assert "o:cloud-act" not in channels(canada)
    assert any("CLOUD Act agreement CA-US: negotiating" in g for g in canada["gaps"])

"""Pages say how old the evidence is and what does not apply, apart from what is not yet curated."""
from __future__ import annotations

from kb.build import build
from kb.kinds import COVERAGE
from kb.web import create_app

from helpers import TODAY  # noqa: E402  (shared test date)

DE = "countries/de.md"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def client_for(content_dir, tmp_path):
    out = tmp_path / "out"
    build(content_dir, out, today=TODAY)
    return create_app({"BUILD_DIR": str(out), "TESTING": True, "TODAY": TODAY}).test_client()


def test_contact_from_an_old_source_is_marked_confirm_before_use(content_dir, tmp_path):
    edit(content_dir, DE, "  languages: [German, English]\n  source: fx-treaty\n",
         "  languages: [German, English]\n  as_of: 2006-11-16\n  source: fx-treaty\n")
    client = client_for(content_dir, tmp_path)
    html = client.get("/countries/de").get_data(as_text=True)
    assert "source dated 2006-11-16" in html and "old source: confirm before use" in html
    assert "The evidence behind it is dated 2006" in html
    facts = {f["field"]: f for f in client.get("/api/countries/de").get_json()["facts"]}
    phone = facts["central_authority.phone"]
    assert phone["source_date"] == "2006-11-16" and phone["old_source"] is True
    assert phone["old_mark"] == "old source: confirm before use"
    assert facts["preservation.max_days"]["old_source"] is False  # undated, not called old


def test_not_applicable_area_is_counted_apart_from_gaps(content_dir, tmp_path):
    client = client_for(content_dir, tmp_path)
    before = client.get("/api/countries/de").get_json()
    edit(content_dir, DE, "retention:\n  status: annulled\n  annulled: 2017-06-22\n",
         "retention:\n  not_applicable: \"No retention regime can apply here.\"\n")
    edit(content_dir, DE, "## Data retention\n\nThe retention obligation was suspended [@fx-old].",
         "## Data retention\n\nNot applicable. No regime can apply here [@fx-old].")
    client = client_for(content_dir, tmp_path / "second")
    data = client.get("/api/countries/de").get_json()
    status = {c["area"]: c["status"] for c in data["coverage"]}
    assert status["retention"] == "not-applicable"
    html = client.get("/countries/de").get_data(as_text=True)
    assert "not applicable" in html and "Not applicable" in html
    areas = [c for c in data["coverage"] if c["area"] in COVERAGE["countries"]]
    missing = [c for c in areas if c["status"] == "missing"]
    counted = [c for c in areas if c["status"] != "not-applicable"]
    assert len(counted) == len(areas) - 1
    assert data["completeness"] == round(1 - len(missing) / len(counted), 3) != before["completeness"]


def test_coverage_page_counts_not_applicable_apart(content_dir, tmp_path):
    edit(content_dir, DE, "retention:\n  status: annulled\n  annulled: 2017-06-22\n",
         "retention:\n  not_applicable: \"No retention regime can apply here.\"\n")
    client = client_for(content_dir, tmp_path)
    resp = client.get("/coverage")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'class="status-not-applicable"' in html and "/ 1 (" in html  # one entry counted as not applicable


def test_links_follow_the_declared_type_and_not_applicable_is_plain_text(content_dir, tmp_path):
    edit(content_dir, DE, '  phone: "+49 228 99410 40"\n',
         '  phone: {not_applicable: "The office takes no calls.", source: fx-treaty}\n')
    html = client_for(content_dir, tmp_path).get("/countries/de").get_data(as_text=True)
    assert 'href="mailto:example@bfj.example.org"' in html  # email-typed field
    assert "tel:Not" not in html and "The office takes no calls." in html

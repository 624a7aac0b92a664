"""Change history from git, computed at build time: entry pages, /changes, the Atom feed, and copies
without git (a tarball) or with a shallow history."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from kb.build import build
from kb.web import create_app

from helpers import FIXTURE, TODAY

GIT_ID = ["-c", "user.name=Curator", "-c", "user.email=curator@example.org", "-c", "commit.gpgsign=false"]


def git(repo, *args, date="2026-11-01T10:00:00+00:00"):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    return subprocess.run(["git", *GIT_ID, "-C", str(repo), *args], check=True, capture_output=True, env=env,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """A git repository whose content/ went through three commits."""
    root = tmp_path / "repo"
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "First curation", date="2026-10-01T09:00:00+00:00")
    de = content / "countries" / "de.md"
    text = de.read_text(encoding="utf-8")
    text = text.replace("  max_days: 90\n", "  max_days: 60\n  extension_days: 30\n")
    text = text.replace("  legal_basis: StPO example section\n", "")
    de.write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "Germany: preservation period from the amended code",
        date="2026-11-20T12:00:00+00:00")
    nl = content / "countries" / "nl.md"
    nl.write_text(nl.read_text(encoding="utf-8").replace("Rotterdam", "Rotterdam (IRC)"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Netherlands: wording", date="2026-11-25T12:00:00+00:00")
    return root


def client_for(content, tmp_path):
    out = tmp_path / "build"
    build(content, out, today=TODAY)
    return create_app({"BUILD_DIR": str(out), "TESTING": True, "TODAY": TODAY}).test_client()


def test_entry_page_lists_commits_with_the_facts_that_changed(repo, tmp_path):
    html = client_for(repo / "content", tmp_path).get("/countries/de").data.decode()
    hist = html[html.index('id="history"'):]
    assert hist.index("Germany: preservation period") < hist.index("First curation")  # newest first
    assert "2026-11-20" in hist and "(entry created)" in hist
    assert "changed</span> Preservation: max days: 60" in hist and "(was: 90)" in hist
    assert "added</span> Preservation: extension days: 30" in hist
    assert "removed</span> Preservation: legal basis" in hist


def test_text_only_change_says_no_fact_changed(repo, tmp_path):
    html = client_for(repo / "content", tmp_path).get("/countries/nl").data.decode()
    assert "Netherlands: wording" in html and "the text changed; no fact changed" in html


def test_changes_page_filters_by_date_and_the_atom_feed_parses(repo, tmp_path):
    client = client_for(repo / "content", tmp_path)
    html = client.get("/changes").data.decode()
    assert html.index("Netherlands: wording") < html.index("Germany: preservation") < html.index("First curation")
    since = client.get("/changes?since=2026-11-21").data.decode()
    assert "Netherlands: wording" in since and "Germany: preservation" not in since
    resp = client.get("/changes.atom?since=2026-11-01")
    assert resp.mimetype == "application/atom+xml"
    feed = ET.fromstring(resp.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles == ["Netherlands: Netherlands: wording", "Germany: Germany: preservation period from the "
                      "amended code"]
    assert client.get("/changes?since=yesterday").status_code == 400


def test_a_copy_without_git_says_history_is_unavailable(tmp_path):
    content = tmp_path / "unpacked" / "content"
    shutil.copytree(FIXTURE, content)  # as from a tarball: no .git anywhere above (tmp_path is outside the repo)
    client = client_for(content, tmp_path)
    assert "History is unavailable" in client.get("/countries/de").data.decode()
    assert "History is unavailable" in client.get("/changes").data.decode()


def test_a_shallow_clone_says_where_its_history_stops(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True,
                   capture_output=True)
    client = client_for(clone / "content", tmp_path)
    page = client.get("/changes").data.decode()
    assert "shallow clone" in page and "Netherlands: wording" in page and "First curation" not in page

"""`kb serve --host ADDR` answers for that address; on every interface it says how to admit names."""
from __future__ import annotations


def test_serve_on_an_address_answers_for_it_and_explains_wildcards(built, monkeypatch):
    from kb.web import create_app
    from kb.web.server import hosts_note

    monkeypatch.delenv("KB_TRUSTED_HOSTS", raising=False)
    app = create_app({"BUILD_DIR": str(built), "TESTING": True})
    assert hosts_note(app, "192.0.2.10") == "" and "192.0.2.10" in app.config["TRUSTED_HOSTS"]
    assert app.test_client().get("/about", headers={"Host": "192.0.2.10"}).status_code == 200
    wild = create_app({"BUILD_DIR": str(built), "TESTING": True})
    assert "KB_TRUSTED_HOSTS" in hosts_note(wild, "0.0.0.0")

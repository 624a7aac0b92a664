"""Serve the site with gunicorn (the default) or Flask's development server (`--dev`)."""
from __future__ import annotations

import os
import socket

from flask import Flask


def port_problem(host: str, port: int) -> str | None:
    """A sentence if nothing can listen on host:port (taken, or not an address of this machine)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            return (f"cannot listen on {host}:{port} ({exc.strerror}); is another server running there? "
                    f"Pick another port with --port (e.g. --port {port + 1 if port < 65535 else 8000}) "
                    "or another address with --host.")
    return None


def run_gunicorn(app: Flask, host: str, port: int, workers: int, timeout: int = 30) -> None:
    """Run `app` under gunicorn with `workers` sync workers (the app is loaded once, then forked)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "timeout": timeout,
                               "accesslog": None, "errorlog": "-", "loglevel": "warning", "preload_app": True,
                               "proc_name": "kb-site"}.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    Server().run()


def hosts_note(app: Flask, host: str) -> str:
    """Answer for the address served on; say how to admit other names when listening on every interface."""
    from kb.web import LOOPBACK_HOSTS

    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted is None or os.environ.get("KB_TRUSTED_HOSTS") or host in LOOPBACK_HOSTS:
        return ""
    if host in ("0.0.0.0", "::", ""):
        return ("Listening on every interface, but only requests for localhost are answered: set "
                "KB_TRUSTED_HOSTS to the names and addresses clients use (e.g. KB_TRUSTED_HOSTS=kb.example.org,"
                "10.0.0.5), or to * behind a proxy that checks the Host header.")
    app.config["TRUSTED_HOSTS"] = list(trusted) + [host]
    return ""

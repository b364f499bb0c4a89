"""`pip install .` gives a working install: the wheel carries the templates, static files,
migrations and catalogues, and the `passerelle` command is `flask --app wiki`."""
from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from databases import ON_POSTGRESQL, sqlite_only

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
from wiki import create_app
app = create_app()
client = app.test_client()
assert client.get("/").status_code == 200
assert "Passerelle" in client.get("/connexion", headers={"Accept-Language": "en"}).text
assert "Sign in" in client.get("/connexion", headers={"Accept-Language": "en"}).text
assert client.get("/static/css/wiki.css").status_code == 200
import wiki
print(wiki.__file__)
"""


@sqlite_only("the package does not depend on the database: checked once, in the SQLite run")
def test_the_wheel_installs_initialises_and_serves_outside_the_checkout(tmp_path):
    assert not ON_POSTGRESQL
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"),
                    str(ROOT)], check=True, cwd=tmp_path, capture_output=True)
    wheel = next((tmp_path / "dist").glob("passerelle-*.whl"))
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, cwd=tmp_path,
                   capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("WIKI_", "PYTHON"))}
    env["WIKI_DATA_DIR"] = str(tmp_path / "data")
    init = subprocess.run([str(tmp_path / "venv" / "bin" / "passerelle"), "init"], cwd=elsewhere, env=env,
                          capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    migrated = subprocess.run([str(tmp_path / "venv" / "bin" / "passerelle"), "db", "current"], cwd=elsewhere,
                              env=env, capture_output=True, text=True)
    assert migrated.returncode == 0 and "(head)" in migrated.stdout, migrated.stdout + migrated.stderr
    served = subprocess.run([str(python), "-c", CHECK], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert served.returncode == 0, served.stderr
    assert str(tmp_path / "venv") in served.stdout  # the installed package, not the checkout

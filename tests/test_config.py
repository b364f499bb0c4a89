"""Configuration layers: defaults, the data folder's config.py, WIKI_* variables, create_app()."""
from datetime import timedelta

from wiki import create_app


def test_every_setting_comes_from_a_prefixed_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("WIKI_PER_PAGE", "12")
    monkeypatch.setenv("WIKI_SESSION_IDLE_TIMEOUT", "3600")  # durations in seconds
    monkeypatch.setenv("WIKI_REQUIRE_2FA_FOR_COORDINATORS", "true")
    monkeypatch.setenv("WIKI_SECRET_KEY", "123456")  # looks like a number, stays a string
    monkeypatch.setenv("WIKI_ATTACHMENT_MAX_BYTES", "1048576")
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    assert app.config["PER_PAGE"] == 12
    assert app.config["SESSION_IDLE_TIMEOUT"] == timedelta(hours=1)
    assert app.config["REQUIRE_2FA_FOR_COORDINATORS"] is True
    assert app.config["SECRET_KEY"] == "123456"
    assert app.config["ATTACHMENT_MAX_BYTES"] == 1048576


def test_uploads_go_in_the_data_folder_unless_a_shared_folder_is_named(tmp_path, monkeypatch):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "data")})
    assert app.config["UPLOADS_DIR"] == str(tmp_path / "data" / "uploads")
    monkeypatch.setenv("WIKI_UPLOADS_DIR", str(tmp_path / "shared"))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "data")})
    assert app.config["UPLOADS_DIR"] == str(tmp_path / "shared")


def test_the_data_folders_file_is_overridden_by_the_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("PER_PAGE = 7\nSEARCH_STEMMER = 'snowball'\n")
    monkeypatch.setenv("WIKI_PER_PAGE", "9")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path)})
    assert app.config["PER_PAGE"] == 9 and app.config["SEARCH_STEMMER"] == "snowball"


def test_api_answers_keep_the_order_of_their_keys(client):
    assert list(client.get("/healthz").json) == ["status", "database", "search"]


def test_https_adds_strict_transport_security(tmp_path, monkeypatch, client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    monkeypatch.setenv("WIKI_HTTPS", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path)})
    assert app.test_client().get("/healthz").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_robots_keep_crawlers_off_history_diffs_sources_and_search(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    rules = response.text.splitlines()
    assert rules[0] == "User-agent: *"
    for path in ("/p/*/historique", "/p/*/comparer", "/p/*/version/", "/p/*/source", "/recherche", "/api/"):
        assert f"Disallow: {path}" in rules
    assert "Disallow: /" not in rules and "Disallow: /p/" not in rules  # the pages themselves stay open


def test_a_dotenv_file_in_the_working_directory_is_read_below_the_environment(tmp_path, monkeypatch):
    for name in ("WIKI_PER_PAGE", "WIKI_SEARCH_STEMMER"):  # restored (absent) after the test
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    (tmp_path / ".env").write_text("WIKI_PER_PAGE=11\nWIKI_SEARCH_STEMMER=snowball\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WIKI_SEARCH_STEMMER", "prefix")  # the environment wins
    monkeypatch.delenv("FLASK_SKIP_DOTENV")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "data")})
    assert app.config["PER_PAGE"] == 11 and app.config["SEARCH_STEMMER"] == "prefix"
    monkeypatch.setenv("FLASK_SKIP_DOTENV", "1")
    monkeypatch.delenv("WIKI_PER_PAGE")
    assert create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "data")}).config["PER_PAGE"] == 30

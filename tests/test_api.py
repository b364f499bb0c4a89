"""API v1: contract shapes, errors, merges and conflicts, sheets, groups and directory."""
import pytest
from wiki import create_app
from wiki.extensions import db


@pytest.fixture
def writer(make_user):
    return make_user("contributeur", "sud")


def create(api, user, **values):
    body = {"title": "Puits de Fanébougou", "visibility": "membres", "body": "Ligne un.\nLigne deux.\n", **values}
    response = api("POST", "/pages", user, json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_create_and_read_page(api, writer):
    created = create(api, writer)
    assert created["slug"] == "puits-de-fanebougou" and created["revision"] == 1
    page = api("GET", "/pages/puits-de-fanebougou", writer).json
    assert page["url"] == "http://wiki.test/p/puits-de-fanebougou"
    assert page["html"] == "<p>Ligne un.\nLigne deux.</p>"
    assert (page["kind"], page["visibility"], page["side"], page["revision"]) == ("page", "membres", "sud", 1)
    assert page["author"].startswith("Contributeur")


def test_non_overlapping_api_edits_merge(api, writer, make_user):
    create(api, writer)
    other = make_user("contributeur", "nord")
    api("PUT", "/pages/puits-de-fanebougou", writer,
        json={"body": "Ligne un.\nLigne deux.\nLigne trois.\n", "base_revision": 1})
    first = api("PUT", "/pages/puits-de-fanebougou", other,
                json={"body": "Ligne un, revue.\nLigne deux.\nLigne trois.\n", "base_revision": 2})
    second = api("PUT", "/pages/puits-de-fanebougou", writer,
                 json={"body": "Ligne un.\nLigne deux.\nLigne trois, revue.\n", "base_revision": 2})
    assert first.status_code == second.status_code == 200
    assert second.json["merged"] is True and second.json["revision"] == 4
    merged = api("GET", "/pages/puits-de-fanebougou", writer).json["body"]
    assert merged == "Ligne un, revue.\nLigne deux.\nLigne trois, revue.\n"


def test_overlapping_api_edit_is_409_with_both_versions(api, writer):
    create(api, writer)
    api("PUT", "/pages/puits-de-fanebougou", writer, json={"body": "Ligne un A.\nLigne deux.\n", "base_revision": 1})
    response = api("PUT", "/pages/puits-de-fanebougou", writer,
                   json={"body": "Ligne un B.\nLigne deux.\n", "base_revision": 1})
    assert response.status_code == 409
    body = response.json
    assert body["error"] == "conflict" and body["message"]
    assert body["current"]["body"] == "Ligne un A.\nLigne deux.\n" and body["current"]["revision"] == 2
    assert body["yours"]["body"] == "Ligne un B.\nLigne deux.\n"
    assert body["conflicts"] == ["body"]
    assert api("GET", "/pages/puits-de-fanebougou/revisions", writer).json["revisions"][0]["revision"] == 2


def test_rename_through_api_keeps_old_address(api, writer):
    create(api, writer)
    response = api("PUT", "/pages/puits-de-fanebougou", writer,
                   json={"title": "Puits de Fanébougou (Ségou)", "base_revision": 1})
    assert response.json["slug"] == "puits-de-fanebougou-segou"
    assert api("GET", "/pages/puits-de-fanebougou", writer).json["slug"] == "puits-de-fanebougou-segou"


@pytest.mark.parametrize("body, status, field", [
    ({"title": ""}, 422, "title"),
    ({"title": "x" * 201}, 422, "title"),
    ({"title": "Ok", "kind": "roman"}, 422, "kind"),
    ({"title": "Ok", "visibility": "secret"}, 422, "visibility"),
    ({"title": "Ok", "visibility": "groupe"}, 422, "group"),
    ({"title": "Ok", "group": "inconnu"}, 422, "group"),
    ({"title": "Ok", "themes": "eau"}, 422, "themes"),
    ({"title": "Ok", "body": 12}, 422, "body"),
    ({"title": "Ok", "couleur": "bleu"}, 422, "couleur"),
    ({"title": "Fiche", "kind": "fiche", "fields": {"region": "Ségou"}}, 422, "themes"),
    ({"title": "Fiche", "kind": "fiche", "themes": ["eau"]}, 422, "fields.region"),
    ({"title": "Fiche", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Ségou", "period_start": 3000}},
     422, "fields.period_start"),
    ({"title": "Fiche", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Ségou", "humeur": "x"}},
     422, "fields.humeur"),
])
def test_invalid_page_bodies(api, writer, body, status, field):
    response = api("POST", "/pages", writer, json=body)
    assert response.status_code == status
    assert response.json["error"] == "invalid"
    assert field in response.json["fields"], response.json


def test_error_shapes(api, client, writer):
    assert api("POST", "/pages", writer, data="pas du json", content_type="application/json").status_code == 400
    assert api("POST", "/pages", writer, json=["liste"]).status_code == 400
    bad_token = client.get("/api/v1/pages", headers={"Authorization": "Bearer faux"})
    assert bad_token.status_code == 401 and set(bad_token.json) >= {"error", "message"}
    assert api("POST", "/pages", json={"title": "Anonyme"}).status_code == 401
    assert api("GET", "/pages?limit=abc", writer).status_code == 400
    assert api("GET", "/nulle-part", writer).json["error"] == "not_found"
    assert api("DELETE", "/pages", writer).status_code == 405
    create(api, writer)
    again = api("POST", "/pages", writer, json={"title": "Puits de Fanebougou"})
    assert again.status_code == 409 and again.json["slug"] == "puits-de-fanebougou"
    put = api("PUT", "/pages/puits-de-fanebougou", writer, json={"body": "x"})
    assert put.status_code == 422 and "base_revision" in put.json["fields"]
    put = api("PUT", "/pages/puits-de-fanebougou", writer, json={"body": "x", "base_revision": 99})
    assert put.status_code == 422


def test_request_too_large_is_413_json(api, writer):
    response = api("POST", "/pages", writer, json={"title": "Gros", "body": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413 and response.json["error"] == "too_large"


def sheet(**fields):
    return {"title": "Forage à Fanébougou", "kind": "fiche", "themes": ["Eau et assainissement"],
            "fields": {"region": "Ségou", **fields}, "body": ""}


def test_sheet_fields_and_side_rule(api, make_user):
    nord, sud = make_user("contributeur", "nord"), make_user("contributeur", "sud")
    assert api("POST", "/pages", nord, json=sheet(regard_sud="Écrit par le Nord")).status_code == 403
    created = api("POST", "/pages", nord, json=sheet(regard_nord="Vu du Nord.", period_start=2019,
                                                     partners_sud=["Coopérative Benkadi"]))
    assert created.status_code == 201
    page = api("GET", "/pages/forage-a-fanebougou", sud).json
    assert page["themes"] == ["eau-et-assainissement"]
    assert page["fields"]["period_start"] == 2019
    refused = api("PUT", "/pages/forage-a-fanebougou", sud,
                  json={"fields": {**page["fields"], "regard_nord": "Réécrit par le Sud"}, "base_revision": 1})
    assert refused.status_code == 403
    accepted = api("PUT", "/pages/forage-a-fanebougou", sud,
                   json={"fields": {**page["fields"], "regard_sud": "Vu du Sud."}, "base_revision": 1})
    assert accepted.status_code == 200
    fields = api("GET", "/pages/forage-a-fanebougou", nord).json["fields"]
    assert (fields["regard_nord"], fields["regard_sud"]) == ("Vu du Nord.", "Vu du Sud.")


def test_list_filters(api, writer, make_user):
    create(api, writer)
    api("POST", "/pages", writer, json=sheet())
    assert [p["slug"] for p in api("GET", "/pages?kind=fiche", writer).json["pages"]] == ["forage-a-fanebougou"]
    assert api("GET", "/pages?theme=eau-et-assainissement", writer).json["total"] == 1
    assert api("GET", "/pages?group=inconnu", writer).json["total"] == 0


def test_groups_and_organisations(api, make_user):
    coordinator, member, other = make_user("coordinateur"), make_user("contributeur", "sud"), make_user()
    assert api("POST", "/groups", member, json={"name": "Santé"}).status_code == 403
    assert api("POST", "/groups", coordinator, json={"name": "Santé", "description": "CSCOM"}).json == {"slug": "sante"}
    email = api("GET", "/pages", member)  # token created
    assert email.status_code == 200
    # Not the group's manager: the same 403 whether the address has an account or not.
    unknown = api("POST", "/groups/sante/members", member, json={"email": "x@example.org"})
    known = api("POST", "/groups/sante/members", member, json={"email": "contributeur3-nord@example.org"})
    assert (unknown.status_code, known.status_code) == (403, 403) and unknown.json == known.json
    assert api("POST", "/groups/sante/members", coordinator, json={"email": "x@example.org"}).status_code == 422
    response = api("POST", "/groups/sante/members", coordinator,
                   json={"email": "contributeur2-sud@example.org", "animator": True})
    assert response.status_code == 201, response.json
    detail = api("GET", "/groups/sante", member).json
    assert detail["animators"] == [{"name": "Contributeur 2", "side": "sud"}]
    assert api("GET", "/groups/sante").json["members"] == []  # names are for members only
    assert api("GET", "/groups/inconnu", member).status_code == 404
    org = {"name": "Coopérative Benkadi", "side": "sud", "kind": "coopérative", "town": "Ségou"}
    assert api("POST", "/organisations", other, json=org).status_code == 403
    assert api("POST", "/organisations", coordinator, json=org).status_code == 201
    assert api("GET", "/organisations/cooperative-benkadi").json["town"] == "Ségou"
    assert api("POST", "/organisations", coordinator, json={**org, "side": "est"}).status_code == 422


def test_openapi_document_describes_the_routes(api, app):
    spec = api("GET", "/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    routes = {(rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}"), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes <= documented, routes - documented


def test_openapi_document_states_this_servers_limits(tmp_path):
    """Limits come from the settings the services enforce, not from a copy in the document."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "data"),
                      "ATTACHMENT_MAX_BYTES": 3_000_000, "MAX_TITLE_LENGTH": 120})
    with app.app_context():
        db.create_all()
    spec = app.test_client().get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert schemas["AttachmentUpload"]["properties"]["file"]["maxLength"] == 3_000_000
    assert "3000000 bytes" in spec["paths"]["/pages/{slug}/attachments"]["post"]["responses"]["413"]["description"]
    assert schemas["PageCreate"]["properties"]["title"]["maxLength"] == 120
    assert not any("x-settings" in text for text in _all_keys(spec))
    with app.app_context():
        db.engine.dispose()


def _all_keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _all_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_keys(item)


@pytest.mark.parametrize("body, key, message", [
    ({"title": 5}, "title", "Un texte est attendu."),
    ({"title": "Ok", "themes": ["eau", 3]}, "themes.1", "Un texte est attendu."),
    ({"title": "Ok", "couleur": "bleu"}, "couleur", "Clé inconnue."),
    ({"title": "Ok", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Kayes", "period_start": "²"}},
     "fields.period_start", "Une année entre 1900 et 2100 est attendue."),
    ({"title": "Ok", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Kayes", "partners_sud": [1]}},
     "fields.partners_sud.0", "Un texte est attendu."),
    ({"title": "Ok", "themes": [f"t{n}" for n in range(11)]}, "themes", "Au plus 10 éléments."),
])
def test_api_validation_names_the_key_in_french(api, writer, body, key, message):
    response = api("POST", "/pages", writer, json=body)
    assert response.status_code == 422 and response.json["fields"] == {key: message}, response.json


def test_api_query_parameters_are_checked_by_their_model(api):
    response = api("GET", "/search?q=puits&page=0")
    assert response.status_code == 400 and "« page »" in response.json["message"]
    assert api("GET", "/pages?kind=roman").status_code == 400
    assert api("GET", "/pages?limit=20&unknown=1").status_code == 200

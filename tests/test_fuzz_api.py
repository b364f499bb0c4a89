"""Property-based fuzzing of the HTTP API against its own OpenAPI document (schemathesis).

Every operation of /api/v1/openapi.json gets generated requests, some valid for the schema
and some not, sent in-process to the WSGI app with a contributor's bearer token. A 5xx, an
undocumented status, a non-JSON answer or an answer that breaks its schema fails the test.
Bounded (max_examples, derandomize) so the suite stays quick and reproducible.

schemathesis' own pytest integration (`from_fixture(...).parametrize()`) rewrites pytest's
private node ids and breaks on pytest 9; one test per operation with `@given` does the same."""
from __future__ import annotations

import pytest
from wiki.policy import SYSTEM

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance, response_schema_conformance, status_code_conformance)

from wiki.api.openapi import build_document  # noqa: E402
from wiki.auth.models import User  # noqa: E402
from wiki.config import Defaults  # noqa: E402
from wiki.directory import services as directory  # noqa: E402
from wiki.extensions import db  # noqa: E402
from wiki.groups import services as groups  # noqa: E402
from wiki.pages import services as pages  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# "known": valid data sent to an existing page, group or organisation (random slugs only find 404s).
EXAMPLES = {"positive": 25, "negative": 10, "known": 25}
KNOWN_SLUGS = {"/pages/{slug}/validation": "maraichage", "/pages/": "forage-a-segou",
               "/groups/{slug}/requests": "energie", "/groups/": "eau", "/organisations/": "cooperative-de-niono"}
KNOWN_EMAIL = "nord@example.org"



def _can_be_invalid(item: dict, operation: dict) -> bool:
    """Negative cases need something to break: a body, or a parameter narrower than any string."""
    parameters = item.get("parameters", []) + operation.get("parameters", [])
    return "requestBody" in operation or any(p["schema"] != {"type": "string"} for p in parameters)


# The (operation, mode) pairs, known at collection time from the document of the default settings.
SPEC = build_document({key: getattr(Defaults, key) for key in dir(Defaults) if key.isupper()})



def _applies(mode: str, path: str, item: dict, operation: dict) -> bool:
    return {"positive": True, "negative": _can_be_invalid(item, operation), "known": "{slug}" in path}[mode]


def _known_slug(path: str) -> str:
    return next(slug for prefix, slug in KNOWN_SLUGS.items() if path.startswith(prefix))


CASES = [(path, method.upper(), mode) for path, item in SPEC["paths"].items()
         for method, operation in item.items() if method in ("get", "post", "put", "delete", "patch")
         for mode in EXAMPLES if _applies(mode, path, item, operation)]


@pytest.fixture
def contributor_token(app, make_user, token_for):
    """A Sud contributor of the « eau » group and of an organisation, with pages to read and
    to edit, and a Nord sheet to validate."""
    user_id = make_user("contributeur", "sud", groups_=("eau",))
    nord_id = make_user("contributeur", "nord", email=KNOWN_EMAIL, groups_=("eau",))
    with app.app_context():
        author = db.session.get(User, user_id)
        author.organisation = directory.create_organisation(name="Coopérative de Niono", side="sud", by=SYSTEM)
        db.session.commit()
        pages.create_page(author=author, title="Forage à Ségou", body="Un **forage** [[Accueil]].")
        pages.create_page(author=db.session.get(User, nord_id), title="Maraîchage", kind="fiche", themes=["eau"],
                          fields={"region": "Ségou", "regard_nord": "Vu du Nord.",
                                  "partners_sud": ["cooperative-de-niono"]}, body="Des oignons.")
        pages.create_page(author=author, title="Réservé au groupe", visibility="groupe",
                          group=groups.find_group("eau"))
        groups.create_group(name="Énergie", by=SYSTEM)
    return token_for(user_id)


def _point_at_known(case):
    """Valid bodies that name existing things: an edit from revision 1 (so later ones merge or
    conflict), an existing account to add to a group."""
    if isinstance(case.body, dict):
        if "base_revision" in case.body:
            case.body["base_revision"] = 1
        if "email" in case.body:
            case.body["email"] = KNOWN_EMAIL
    return case


def test_served_document_has_the_fuzzed_operations(app, client):
    served = client.get("/api/v1/openapi.json").json
    assert served == build_document(app.config)
    assert {(p, m) for p, item in served["paths"].items() for m in item} == {
        (p, m) for p, item in SPEC["paths"].items() for m in item}


@pytest.mark.parametrize("path, method, mode", CASES, ids=[f"{m} {p} {mode}" for p, m, mode in CASES])
def test_api_answers_match_its_schema(app, contributor_token, path, method, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    # identity: schemathesis' WSGI transport does not decode the gzip the app sends otherwise.
    headers = {"Authorization": f"Bearer {contributor_token}", "Accept-Encoding": "identity"}

    if mode == "known":
        known = {"slug": _known_slug(path), **({"number": 1} if "{number}" in path else {})}
        strategy = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known).map(_point_at_known)
    else:
        strategy = operation.as_strategy(GenerationMode(mode))

    @settings(max_examples=EXAMPLES[mode], derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def fuzz(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    fuzz()

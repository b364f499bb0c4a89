"""Demo content: a small, fictional network of actors in Burgundy (Nord) and Mali (Sud).

`load_demo()` goes through the services only, like any other client, so the demo also
exercises the rules (side of the "regards", group-reserved pages, revisions by both sides).
It is idempotent: when the demo coordinator account exists, it does nothing.
All people, organisations and villages are fictional.
"""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw

from . import demo_content as content
from .auth import accounts
from .demo_content import AMINATA, BERNARD, CLAIRE, HELENE, MOUSSA
from .directory import services as directory
from .groups import services as groups
from .markup import slugify
from .models import utcnow
from .pages import services as pages
from .pages.services import PageExists
from .agenda import services as agenda  # after .directory: its models are mapped first
from .news import services as news
from .sheets.themes import seed_themes
from .policy import SYSTEM

DEMO_PASSWORD = "passerelle-demo"
COORDINATOR_EMAIL = CLAIRE

# Fictional organisations, both sides (name, side, kind, town, region, description, and
# sometimes website and contact: ".example" addresses, which never exist).
DEMO_ORGANISATIONS = (
    dict(name="Comité de jumelage de Montrevel-en-Ouche", side="nord", kind="comité de jumelage",
         town="Montrevel-en-Ouche", region="Côte-d'Or",
         description="Comité de jumelage et de coopération avec la commune de Dialakoro (région de "
                     "Koulikoro) depuis 1998 : santé, éducation et échanges entre écoles.",
         contact="jumelage@montrevel-en-ouche.example"),
    dict(name="Solidarité Auxois-Sahel", side="nord", kind="association",
         town="Semur-en-Auxois", region="Côte-d'Or",
         description="Association de bénévoles qui accompagne des projets d'accès à l'eau potable et "
                     "d'équipement sanitaire dans les régions de Ségou et de Koulikoro.",
         website="https://auxois-sahel.example", contact="contact@auxois-sahel.example"),
    dict(name="Collège du Val d'Ouche", side="nord", kind="école",
         town="Montrevel-en-Ouche", region="Côte-d'Or",
         description="Collège public engagé dans l'éducation à la citoyenneté et à la solidarité "
                     "internationale : correspondance entre classes avec les écoles de Dialakoro."),
    dict(name="Coopérative des femmes maraîchères Benkadi", side="sud", kind="coopérative",
         town="Fanébougou", region="Ségou",
         description="Coopérative de 45 femmes qui cultivent un jardin maraîcher collectif et vendent "
                     "leurs légumes sur les marchés de Ségou."),
    dict(name="Conseil communal de Dialakoro", side="sud", kind="collectivité",
         town="Dialakoro", region="Koulikoro",
         description="Commune rurale du cercle de Koulikoro, partenaire de coopération décentralisée de "
                     "Montrevel-en-Ouche. Maître d'ouvrage des projets de santé et d'éducation."),
    dict(name="ONG Jigiya Développement", side="sud", kind="ONG",
         town="Ségou", region="Ségou",
         description="ONG malienne d'appui au développement local (eau, hygiène, scolarisation, droits "
                     "des femmes), présente dans les régions de Ségou et de Koulikoro."),
    dict(name="Énergies solidaires du Morvan", side="nord", kind="association",
         town="Autun", region="Saône-et-Loire",
         description="Bénévoles, souvent anciens professionnels de l'électricité, qui conseillent des "
                     "projets d'énergie solaire pour des centres de santé et des écoles, et forment des "
                     "techniciens au Mali.",
         website="https://energies-solidaires-morvan.example",
         contact="contact@energies-solidaires-morvan.example"),
    dict(name="Association Kènèya Ton", side="sud", kind="association",
         town="Koutiala", region="Sikasso",
         description="Association malienne de santé communautaire du cercle de Koutiala : appui aux "
                     "associations de santé communautaire (ASACO), santé maternelle, prévention du "
                     "paludisme.",
         contact="Par la coordination du réseau : coordination@passerelle.example"),
    dict(name="Centre de formation aux métiers Sababu", side="sud", kind="centre de formation",
         town="Bamako", region="District de Bamako",
         description="Centre de formation professionnelle pour les jeunes déscolarisés : électricité, "
                     "énergie solaire, froid, couture. Formations courtes avec stages en entreprise.",
         website="https://sababu-formation.example"),
)

# Demo accounts (all with DEMO_PASSWORD); `organisation` is a name from DEMO_ORGANISATIONS.
DEMO_ACCOUNTS = (
    dict(email=COORDINATOR_EMAIL, name="Claire Morand", side="nord", role="coordinateur",
         organisation=None),
    dict(email=BERNARD, name="Bernard Lachaux", side="nord",
         role="contributeur", organisation="Solidarité Auxois-Sahel"),
    dict(email=AMINATA, name="Aminata Coulibaly", side="sud",
         role="contributeur", organisation="Coopérative des femmes maraîchères Benkadi"),
    dict(email=MOUSSA, name="Moussa Diarra", side="sud",
         role="contributeur", organisation="Conseil communal de Dialakoro"),
    dict(email=HELENE, name="Hélène Vautrin", side="nord",
         role="lecteur", organisation="Collège du Val d'Ouche"),
)

# Thematic groups: name, description, then (email, animator) pairs.
DEMO_GROUPS = (
    dict(name="Eau et assainissement",
         description="Accès à l'eau potable, hygiène et assainissement : forages, puits, latrines, "
                     "gestion et entretien des points d'eau.",
         members=((BERNARD, True),
                  (AMINATA, True),
                  (MOUSSA, False))),
    dict(name="Santé",
         description="Appui aux centres de santé communautaires, santé maternelle et infantile, "
                     "prévention et mutuelles de santé.",
         members=((BERNARD, True),
                  (MOUSSA, True),
                  (AMINATA, False),
                  (COORDINATOR_EMAIL, False))),
    dict(name="Éducation",
         description="Scolarisation, en particulier des filles, soutien aux écoles, formation des "
                     "enseignants et correspondances scolaires entre la Bourgogne et le Mali.",
         members=((COORDINATOR_EMAIL, True),
                  (MOUSSA, True),
                  (HELENE, False),
                  (AMINATA, False))),
)


# Loading ---------------------------------------------------------------------

def _organisation(spec: dict):
    existing = directory.find_organisation(slugify(spec["name"]))
    return existing or directory.create_organisation(by=SYSTEM, **spec)


def _user(spec: dict, organisations: dict):
    existing = accounts.get_user_by_email(spec["email"])
    if existing is not None:
        return existing
    return accounts.create_user(email=spec["email"], name=spec["name"], side=spec["side"],
                                role=spec["role"], organisation=organisations.get(spec["organisation"]),
                                password=DEMO_PASSWORD, by=SYSTEM)


def _group(spec: dict, users: dict):
    group = groups.find_group(slugify(spec["name"])) or groups.create_group(
        name=spec["name"], description=spec["description"], by=SYSTEM)
    for email, animator in spec["members"]:
        groups.add_member(group, users[email], animator=animator, by=SYSTEM)
    return group


def _page(author, title: str, body: str, **options):
    """Create a page; (page, True), or (existing page, False) if one with this title exists."""
    try:
        return pages.create_page(author=author, title=title, body=body, **options), True
    except PageExists as exists:
        return exists.page, False


def _edit(page, author, *, body: str | None = None, fields: dict | None = None, summary: str):
    current = page.current
    pages.update_page(page, author=author, base_revision=current.number, title=current.title,
                      body=current.body if body is None else body,
                      fields=None if fields is None else {**(current.fields or {}), **fields},
                      summary=summary)


def _sheet(spec: dict, users: dict, group: dict):
    """Create an experience sheet, then add the other side's voice and the validation."""
    sheet, created = _page(users[spec["author"]], spec["title"], spec["body"], kind="fiche",
                           visibility=spec.get("visibility", "membres"), group=group.get(spec.get("group")),
                           themes=spec["themes"], fields=spec["fields"], summary=spec["summary"],
                           status=spec.get("status"))
    if created:
        for email, fields, summary in spec.get("voices", ()):
            _edit(sheet, users[email], fields=fields, summary=summary)
        if spec.get("validated_by"):
            pages.validate_sheet(sheet, by=users[spec["validated_by"]])
    return sheet


def load_demo() -> bool:
    """Load the demo network; False (and nothing done) if the demo coordinator already exists."""
    seed_themes()  # the sheets' themes, even when `init` was not run (tests, fresh databases)
    if accounts.get_user_by_email(COORDINATOR_EMAIL) is not None:
        return False

    organisations = {spec["name"]: _organisation(spec) for spec in DEMO_ORGANISATIONS}
    users = {spec["email"]: _user(spec, organisations) for spec in DEMO_ACCOUNTS}
    group = {spec["name"]: _group(spec, users) for spec in DEMO_GROUPS}

    claire, bernard, aminata, moussa = (users[e] for e in (CLAIRE, BERNARD, AMINATA, MOUSSA))
    c = content

    # Public pages (only a coordinator may publish).
    _page(claire, c.T_HOME, c.HOME, visibility="public", summary="Page d'accueil")
    _page(claire, c.T_MEETING, c.MEETING, visibility="public",
          summary="Récit de la rencontre du 14 février 2015")

    # Members' pages; the steering committee page is completed by a partner from the Sud.
    steering, created = _page(claire, c.T_STEERING, c.STEERING_V1, visibility="membres",
                              summary="Création de la page du comité")
    if created:
        _edit(steering, moussa, body=c.STEERING_V2, summary="Place des partenaires maliens dans le comité")
    _page(claire, c.T_GUIDE, c.GUIDE, visibility="membres", summary="Première version du guide")

    # A practical page written in turn by the Nord, the Sud, then the Nord again.
    parts, created = _page(bernard, c.T_PARTS, c.PARTS_V1, visibility="membres",
                           themes=["eau-et-assainissement"], summary="Premiers conseils d'entretien")
    if created:
        _edit(parts, aminata, body=c.PARTS_V2, summary="Où trouver les pièces à Ségou et à Bamako")
        _edit(parts, bernard, body=c.PARTS_V3, summary="Ajout de la caisse d'entretien")

    # Group pages, reserved to each group, written by one of its animators.
    _page(bernard, c.T_WATER_GROUP, c.WATER_GROUP, kind="groupe", visibility="groupe",
          group=group["Eau et assainissement"], themes=["eau-et-assainissement"],
          summary="Présentation du groupe")
    _page(moussa, c.T_HEALTH_GROUP, c.HEALTH_GROUP, kind="groupe", visibility="groupe",
          group=group["Santé"], themes=["sante"], summary="Présentation du groupe")
    _page(claire, c.T_EDUCATION_GROUP, c.EDUCATION_GROUP, kind="groupe", visibility="groupe",
          group=group["Éducation"], themes=["education"], summary="Présentation du groupe")

    # Experience sheets: each "regard" is written by someone of its own side; some still wait
    # for one side's voice, one is validated by the other side, one is still a draft.
    for spec in c.SHEETS:
        _sheet(spec, users, group)
    _agenda(users)
    _calls(users)
    _field_news(users)
    return True


def _day(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def _agenda(users: dict) -> None:
    """A past steering committee with its minutes and decisions, a training, the annual meeting."""
    for spec in content.EVENTS:
        fields = {"event_kind": spec["kind"], "starts": f"{_day(spec['days'])}T{spec['start']}",
                  "ends": f"{_day(spec['days'])}T{spec['end']}", "timezone": spec["zone"], "place": spec["place"],
                  "online_url": spec.get("online_url")}
        event, created = _page(users[spec["author"]], spec["title"], spec["body"], kind="evenement",
                               visibility=spec["visibility"], fields=fields, summary="Annonce de l'événement")
        if created and spec["kind"] == "comite":
            _committee(event, users)


def _committee(event, users: dict) -> None:
    claire = users[CLAIRE]
    for email, answer in ((CLAIRE, "oui"), (BERNARD, "oui"), (AMINATA, "oui"), (MOUSSA, "oui"), (HELENE, "non")):
        agenda.answer(users[email], event, answer)
    minutes = agenda.write_minutes(claire, event)
    _edit(minutes, claire, body=content.COMMITTEE_MINUTES, summary="Compte rendu de la réunion")
    meeting = utcnow() + timedelta(days=-20)
    for text, owner, due_in, status in content.COMMITTEE_DECISIONS:
        decision = agenda.add_decision(claire, event, text=text, owner_id=users[owner].id,
                                       due_on=(meeting + timedelta(days=due_in)).date())
        if status != "a_faire":
            agenda.update_decision(users[owner], decision, status=status)


def _calls(users: dict) -> None:
    """Three open calls for funding, with deadlines a few weeks away."""
    for spec in content.CALLS:
        fields = {key: _day(value) if key in ("opens_on", "closes_on") else value
                  for key, value in spec["fields"].items()}
        _page(users[spec["author"]], spec["title"], spec["body"], kind="appel", themes=spec["themes"],
              fields=fields, summary="Appel signalé au réseau")


def _field_news(users: dict) -> None:
    """News from the field on two sheets, one with a photo (drawn here: the demo ships no image)."""
    for title, email, kind, commune, text, with_photo in content.FIELD_NEWS:
        page, _alias = pages.find_page(slugify(title))
        photos = [_demo_photo()] if with_photo else []
        news.post(users[email], page, text=text, kind=kind, commune=commune, photos=photos)


def _demo_photo() -> io.BytesIO:
    """A pump in a yard, as flat shapes."""
    image = Image.new("RGB", (800, 600), (214, 170, 110))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 260), fill=(120, 170, 215))
    draw.rectangle((370, 200, 430, 480), fill=(60, 90, 120))
    draw.rectangle((430, 230, 600, 250), fill=(60, 90, 120))
    draw.ellipse((330, 470, 470, 530), fill=(90, 90, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out

"""E-mail through a real SMTP server on 127.0.0.1 (aiosmtpd): « Mot de passe oublié », the
queue that `flask --app wiki digest send` empties, and a dead server that loses nothing."""
from __future__ import annotations

import email
import email.policy
import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from wiki.activity import follows
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.mail.digests import send_digests
from wiki.mail.models import OutgoingMail
from wiki.models import utcnow
from wiki.news import services as field_news
from wiki.pages import services as pages
from wiki.pages.models import Page



class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content,
                                                                          policy=email.policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mail_app(app, smtp):
    controller, _inbox = smtp
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{controller.port}", MAIL_FROM="Passerelle <wiki@example.org>",
                      BASE_URL="https://wiki.example.org")
    return app


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_forgotten_password_by_email(mail_app, client, make_user, user_email, smtp):
    _controller, inbox = smtp
    address = user_email(make_user("contributeur", "sud"))
    assert "Recevoir le lien" in client.get("/connexion/oubli").text
    known = client.post("/connexion/oubli", data={"email": address.upper()}, follow_redirects=True)
    unknown = client.post("/connexion/oubli", data={"email": "personne@example.org"}, follow_redirects=True)
    assert "Si un compte existe" in known.text and "Si un compte existe" in unknown.text
    assert inbox.messages == []  # queued: the form never waits on SMTP
    result = mail_app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0 and "envoyés : 1" in result.output
    assert mail_app.test_cli_runner().invoke(args=["digest", "send"]).output.count("envoyés : 0") == 1  # twice: once
    [(recipients, message)] = inbox.messages
    assert recipients == [address] and "mot de passe" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None
    link = re.search(r"https://wiki\.example\.org(/invitation/\S+)", _text(message)).group(1)
    new_password = "un-nouveau-mot-de-passe-solide"
    response = client.post(link, data={"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    client.post("/deconnexion")
    assert client.post("/connexion", data={"email": address, "password": new_password}).status_code == 302
    assert client.post(link, data={"password": "encore-un-autre-mot", "confirm": "encore-un-autre-mot"}
                       ).status_code == 404  # single use


def test_without_mail_the_page_says_to_ask_a_coordinator(client):
    page = client.get("/connexion/oubli").text
    assert "demandez à un coordinateur" in page and "Recevoir le lien" not in page


def test_a_dead_smtp_server_loses_nothing(mail_app, client, make_user, user_email, smtp):
    controller, inbox = smtp
    address = user_email(make_user())
    client.post("/connexion/oubli", data={"email": address})
    mail_app.config["MAIL_URL"] = f"smtp://127.0.0.1:{_free_port()}"  # nobody listens there
    result = mail_app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0 and "en échec (réessayés plus tard) : 1" in result.output
    with mail_app.app_context():
        mail = db.session.scalar(select(OutgoingMail))
        assert mail.sent_at is None and mail.attempts == 1 and "Connection" in mail.last_error
        mail.next_attempt_at = mail.created_at  # its retry is due
        db.session.commit()
    mail_app.config["MAIL_URL"] = f"smtp://127.0.0.1:{controller.port}"
    assert "envoyés : 1" in mail_app.test_cli_runner().invoke(args=["digest", "send"]).output
    assert len(inbox.messages) == 1
    with mail_app.app_context():
        assert db.session.scalar(select(func.count()).where(OutgoingMail.sent_at.is_(None))) == 0


def test_requests_are_throttled_like_logins(mail_app, client, make_user, user_email):
    address = user_email(make_user())
    codes = [client.post("/connexion/oubli", data={"email": address}).status_code for _ in range(30)]
    assert 429 in codes
    with mail_app.app_context():
        assert db.session.scalar(select(func.count(OutgoingMail.id))) < 30


def test_an_invitation_is_also_sent_by_email(mail_app, client, auth, make_user, smtp):
    _controller, inbox = smtp
    auth.login(make_user("coordinateur"))
    page = client.post("/admin/utilisateurs", data={"email": "awa@example.ml", "name": "Awa Traoré", "side": "sud",
                                                    "role": "contributeur", "organisation": ""})
    assert page.status_code == 200 and "Il part aussi par e-mail à awa@example.ml" in page.text
    shown = re.search(r"https://wiki\.example\.org/invitation/[\w-]+", page.text).group(0)  # still to copy
    assert "envoyés : 1" in mail_app.test_cli_runner().invoke(args=["digest", "send"]).output
    [(recipients, message)] = inbox.messages
    assert recipients == ["awa@example.ml"] and "Invitation" in message["Subject"]
    assert shown in _text(message) and "Awa Traoré" in _text(message)
    auth.logout()
    assert client.get(shown.removeprefix("https://wiki.example.org")).status_code == 200


def test_without_mail_an_invitation_says_to_pass_the_link(client, auth, make_user):
    auth.login(make_user("coordinateur"))
    page = client.post("/admin/utilisateurs", data={"email": "awa@example.ml", "name": "Awa Traoré", "side": "sud",
                                                    "role": "contributeur", "organisation": ""})
    assert "passez ce lien vous-même" in page.text and "http://wiki.test/invitation/" in page.text


def _set_frequency(app, user_id, frequency):
    with app.app_context():
        db.session.get(User, user_id).mail_frequency = frequency
        db.session.commit()


def test_digest_of_what_members_follow_and_where_they_are_named(mail_app, make_user, login, smtp):
    _controller, inbox = smtp
    sud, nord = make_user("contributeur", "sud"), make_user("contributeur", "nord", groups_=("eau",))
    with mail_app.app_context():
        nord_user, sud_user = db.session.get(User, nord), db.session.get(User, sud)
        followed = pages.create_page(author=nord_user, title="Forage de Kayes", body="Début.")
        pages.create_page(author=nord_user, title="Réservé au groupe", visibility="groupe",
                          group=groups.find_group("eau"))
        pages.create_page(author=nord_user, title="Compte rendu", body="Texte.")
        follows.follow(sud_user, "page", followed)
        follows.follow(sud_user, "group", groups.find_group("eau"))  # its pages: not readable by sud
        sud_name = sud_user.name
        followed_id = followed.id
    _set_frequency(mail_app, sud, "immediate")
    _set_frequency(mail_app, nord, "immediate")
    with mail_app.app_context():
        nord_user = db.session.get(User, nord)
        pages.update_page(db.session.get(Page, followed_id), author=nord_user, base_revision=1,
                          title="Forage de Kayes", body="Pompe réparée.", summary="Réparation de la pompe")
        pages.update_page(db.session.get(Page, db.session.scalar(select(Page.id).where(Page.title == "Réservé au groupe"))),
                          author=nord_user, base_revision=1, title="Réservé au groupe", body="Noms des partenaires.",
                          summary="Noms secrets")
    login(nord).post("/p/compte-rendu/discussion", data={"body": f"@{sud_name} peux-tu relire ?"})
    result = mail_app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    to_sud = [m for rcpt, m in inbox.messages if rcpt == [_email(mail_app, sud)]]
    assert len(to_sud) == 1
    text = _text(to_sud[0])
    assert "Forage de Kayes modifiée par" in text and "Réparation de la pompe" in text
    assert "a commenté Compte rendu" in text and "peux-tu relire" in text
    assert "Réservé au groupe" not in text and "Noms secrets" not in text  # followed, but not readable by sud
    assert to_sud[0]["List-Unsubscribe"].strip().startswith("<https://wiki.example.org/desabonnement/")
    assert to_sud[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not any("Forage de Kayes modifiée" in _text(m) for rcpt, m in inbox.messages
                   if rcpt == [_email(mail_app, nord)])  # nobody is told of their own changes
    count = len(inbox.messages)
    mail_app.test_cli_runner().invoke(args=["digest", "send"])
    assert len(inbox.messages) == count  # twice: nothing twice
    # One click unsubscribes (the mail program's POST), without logging in.
    link = to_sud[0]["List-Unsubscribe"].strip().strip("<>").removeprefix("https://wiki.example.org")
    anonymous = mail_app.test_client()
    assert "Me désabonner" in anonymous.get(link).text
    assert anonymous.post(link, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with mail_app.app_context():
        assert db.session.get(User, sud).mail_frequency == "never"
    assert anonymous.post("/desabonnement/faux-jeton").status_code == 404


def _email(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).email


def test_weekly_by_default(mail_app, make_user):
    reader, writer = make_user("contributeur", "sud"), make_user("contributeur", "nord")
    with mail_app.app_context():
        page = pages.create_page(author=db.session.get(User, writer), title="Jardin", body="x")
        follows.follow(db.session.get(User, reader), "page", page)
        pages.update_page(page, author=db.session.get(User, writer), base_revision=1, title="Jardin", body="y")
        user = db.session.get(User, reader)
        assert user.mail_frequency == "weekly"
        created = user.created_at
        assert send_digests(now=created + timedelta(days=6)) == 0  # not a week yet
        assert send_digests(now=created + timedelta(days=8)) == 1
        assert send_digests(now=created + timedelta(days=9)) == 0  # the next one in a week


def test_a_malformed_mail_url_is_a_clear_message(mail_app, client, make_user, user_email):
    client.post("/connexion/oubli", data={"email": user_email(make_user())})
    mail_app.config["MAIL_URL"] = "http://pas-un-serveur-smtp"
    result = mail_app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 1 and "WIKI_MAIL_URL doit ressembler" in result.output
    with mail_app.app_context():
        assert db.session.scalar(select(OutgoingMail)).sent_at is None  # still queued


def test_the_digest_announces_new_calls_and_deadlines_once(mail_app, make_user, smtp):
    _controller, inbox = smtp
    member, coordinator = make_user("contributeur", "sud"), make_user("coordinateur", "nord", groups_=("eau",))
    _set_frequency(mail_app, member, "immediate")
    with mail_app.app_context():
        author, reader = db.session.get(User, coordinator), db.session.get(User, member)
        follows.follow(reader, "theme", "eau-et-assainissement")
        start = utcnow()
        deadline = (start + timedelta(days=20)).date().isoformat()
        for title, more in (("Appel forages 2027", {}),
                            ("Appel du groupe eau", {"visibility": "groupe", "group": groups.find_group("eau")})):
            pages.create_page(author=author, title=title, kind="appel", themes=["eau-et-assainissement"],
                              fields={"funder": "Agence de l'eau", "closes_on": deadline, "eligibility": ["sud"]},
                              **more)
        assert send_digests(now=start + timedelta(minutes=1)) == 1  # the new call
        assert send_digests(now=start + timedelta(days=3)) == 0  # 17 days left: not yet
        assert send_digests(now=start + timedelta(days=7)) == 1  # 13 days left: the reminder
        assert send_digests(now=start + timedelta(days=8)) == 0  # once
    result = mail_app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    texts = [_text(m) for rcpt, m in inbox.messages if rcpt == [_email(mail_app, member)]]
    assert len(texts) == 2
    assert "Nouveaux appels à projets sur vos thèmes" in texts[0] and "Appel forages 2027" in texts[0]
    assert "Dates limites dans moins de deux semaines" in texts[1] and "Appel forages 2027" in texts[1]
    assert not any("Appel du groupe eau" in text for text in texts)  # not readable by the member


def test_the_digest_brings_news_from_followed_pages(mail_app, make_user, smtp):
    _controller, inbox = smtp
    reader, writer = make_user("contributeur", "nord"), make_user("contributeur", "sud", groups_=("eau",))
    _set_frequency(mail_app, reader, "immediate")
    with mail_app.app_context():
        author, member = db.session.get(User, writer), db.session.get(User, reader)
        sheet = pages.create_page(author=author, title="Forage de Kayes", kind="fiche",
                                  themes=["eau-et-assainissement"], fields={"region": "Kayes"})
        reserved = pages.create_page(author=author, title="Réservé", kind="groupe", visibility="groupe",
                                     group=groups.find_group("eau"))
        follows.follow(member, "page", sheet)
        follows.follow(member, "group", groups.find_group("eau"))
        field_news.post(author, sheet, text="La pompe est réparée.")
        field_news.post(author, reserved, text="Noms des partenaires du groupe.")
        field_news.post(member, sheet, text="Ma propre nouvelle.")
        assert send_digests(now=utcnow() + timedelta(minutes=1)) >= 1
    mail_app.test_cli_runner().invoke(args=["digest", "send"])
    [text] = [_text(m) for rcpt, m in inbox.messages if rcpt == [_email(mail_app, reader)]]
    assert "a donné des nouvelles du terrain sur Forage de Kayes — La pompe est réparée." in text
    assert "Noms des partenaires" not in text and "Ma propre nouvelle" not in text

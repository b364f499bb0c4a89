"""E-mail through a real SMTP server on 127.0.0.1 (aiosmtpd): « Mot de passe oublié », the
queue that `flask --app wiki digest send` empties, and a dead server that loses nothing."""
from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from wiki.extensions import db
from wiki.mail.models import OutgoingMail



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

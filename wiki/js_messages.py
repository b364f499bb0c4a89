"""The interface strings of the scripts (static/js/editor.js, upload.js, outbox.js), through the catalogue.

base.html puts them in pages that load a script, in the reader's language, as JSON in one
attribute (`<div id="js-messages" hidden data-messages='…'>`: data, not an inline script, which
the Content-Security-Policy and tests/test_security.py refuse); each script reads it once and
falls back to its own French copy of the text when the element or a key is missing. Keys are short, stable English names shared with the scripts;
the msgids are the French texts, exactly as the scripts hold them. "{name}" is a placeholder the
script fills in (it is not Python formatting: the catalogue leaves it as it is). Numbers and
dates are written by the browser in the page's language (<html lang>).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    # editor.js: saving through fetch(), and what happens when the connection drops
    "offline_kept": _l("Pas de connexion : votre texte n'est pas perdu, il est gardé sur cet appareil. "
                       "Réessayez quand la connexion revient."),
    "offline_in_form": _l("Pas de connexion : votre texte est toujours dans ce formulaire. Gardez cette page "
                          "ouverte et réessayez quand la connexion revient."),
    "back_online": _l("La connexion est revenue : vous pouvez enregistrer."),
    "slow_connection": _l("La connexion est lente, l'envoi continue. Votre texte est gardé sur cet appareil."),
    "saving": _l("Enregistrement…"),
    "server_down": _l("Le serveur ne répond pas : votre texte n'est pas perdu, il est gardé sur cet appareil. "
                      "Réessayez dans un moment."),
    "text_kept": _l("Votre texte est gardé sur cet appareil."),
    # editor.js: the draft found on arrival ({when} is draft_time: a date written by the browser)
    "draft_found_label": _l("Brouillon retrouvé"),
    "draft_found": _l("Un brouillon non enregistré du {when} a été retrouvé."),
    "draft_time": _l("{date}, {hours} h {minutes}"),
    "draft_page_changed": _l("La page a changé depuis : en enregistrant, vos modifications seront fusionnées "
                             "avec la nouvelle version."),
    "draft_restore": _l("Reprendre le brouillon"),
    "draft_discard": _l("Ignorer"),
    # editor.js: the Markdown toolbar (a button's text, its accessible name, the text it inserts)
    "toolbar_label": _l("Mise en forme"),
    "bold": _l("Gras"),
    "bold_sample": _l("texte en gras"),
    "italic": _l("Italique"),
    "italic_sample": _l("texte en italique"),
    "heading": _l("Titre"),
    "heading_label": _l("Titre de section"),
    "list": _l("Liste"),
    "list_label": _l("Liste à puces"),
    "list_sample": _l("élément"),
    "link": _l("Lien"),
    "link_label": _l("Lien vers un site web"),
    "link_sample": _l("texte du lien"),
    "wiki_link_label": _l("Lien vers une page du wiki [[Page]]"),
    "wiki_link_sample": _l("Titre de la page"),
    "preview": _l("Aperçu"),
    "preview_label": _l("Aperçu du texte"),
    "preview_offline": _l("Aperçu indisponible : pas de connexion."),
    "preview_error": _l("L'aperçu n'est pas disponible (erreur {status})."),
    # upload.js ({size}, {loaded}, {total}: numbers written by the browser)
    "upload_choose": _l("Choisissez un fichier à joindre."),
    "upload_preparing": _l("Préparation…"),
    "upload_file_too_big": _l("{name} : fichier trop volumineux ({size} Mo au plus)."),
    "upload_sending": _l("Envoi de {size} Ko…"),
    "upload_progress": _l("Envoi : {loaded} Ko sur {total} Ko"),
    "upload_done": _l("Fichiers joints. Actualisation de la page…"),
    "upload_too_big": _l("Envoi trop volumineux : {size} Mo au plus par fichier."),
    "upload_failed": _l("L'envoi a échoué (erreur {status})."),
    "upload_interrupted": _l("La connexion a été interrompue ; rien n'a été enregistré pour le fichier en cours. "
                             "Réessayez."),
    # outbox.js: news from the field waiting on the phone ({count}: a number; {reason}, {text}: the server's
    # message and the news itself)
    "outbox_one": _l("1 nouvelle en attente d'envoi : elle partira quand la connexion reviendra."),
    "outbox_many": _l("{count} nouvelles en attente d'envoi : elles partiront quand la connexion reviendra."),
    "outbox_refused": _l("Nouvelle refusée ({reason}) : « {text} »"),
    "outbox_drop": _l("Retirer"),
    "outbox_logout": _l("{count} nouvelle(s) pas encore envoyée(s) seront effacées de ce téléphone si vous vous "
                        "déconnectez. Se déconnecter quand même ?"),
}


def js_messages() -> dict[str, str]:
    """Every message of the scripts, in the language of this request (a template global)."""
    return {key: str(text) for key, text in MESSAGES.items()}

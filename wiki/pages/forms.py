from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .models import CONTENT_LANGUAGES, Visibility


def language_field() -> SelectField:
    """The language a page or sheet is written in; name_languages() names the choices."""
    return SelectField(_l("Langue du texte"), default="fr", choices=[SelectChoice(code, code) for code in CONTENT_LANGUAGES])


def name_languages(field: SelectField, name_of) -> None:
    """The languages' names in the reader's language (known only during a request)."""
    field.choices = [SelectChoice(code, name_of(code)) for code in CONTENT_LANGUAGES]


class PageForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Le titre est obligatoire.")), Length(max=200)])
    body = TextAreaField(_l("Texte (Markdown)"), validators=[Length(max=200_000)])
    visibility = SelectField(_l("Qui peut lire cette page ?"), choices=[
        SelectChoice(Visibility.MEMBRES.value, _l("Membres du réseau")),
        SelectChoice(Visibility.GROUPE.value, _l("Membres d'un groupe thématique")),
        SelectChoice(Visibility.PUBLIC.value, _l("Tout le monde (public)")),
    ])
    group = SelectField(_l("Groupe"), choices=[], validators=[Optional()])
    language = language_field()
    summary = StringField(_l("Résumé de la modification"), validators=[Length(max=300)])
    base_revision = HiddenField()

    def set_group_choices(self, groups) -> None:
        self.group.choices = [SelectChoice("", "—")] + [SelectChoice(g.slug, g.name) for g in groups]

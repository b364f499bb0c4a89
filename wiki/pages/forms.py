from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .models import Visibility


class PageForm(FlaskForm):
    title = StringField("Titre", validators=[DataRequired("Le titre est obligatoire."), Length(max=200)])
    body = TextAreaField("Texte (Markdown)", validators=[Length(max=200_000)])
    visibility = SelectField("Qui peut lire cette page ?", choices=[
        SelectChoice(Visibility.MEMBRES.value, "Membres du réseau"),
        SelectChoice(Visibility.GROUPE.value, "Membres d'un groupe thématique"),
        SelectChoice(Visibility.PUBLIC.value, "Tout le monde (public)"),
    ])
    group = SelectField("Groupe", choices=[], validators=[Optional()])
    summary = StringField("Résumé de la modification", validators=[Length(max=300)])
    base_revision = HiddenField()

    def set_group_choices(self, groups) -> None:
        self.group.choices = [SelectChoice("", "—")] + [SelectChoice(g.slug, g.name) for g in groups]

"""The filters of « Modifications récentes », read from the query string."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import Optional

from ..mail.digests import FREQUENCY_LABELS

KIND_LABELS = {"creation": _l("Créations"), "edit": _l("Modifications"), "validation": _l("Validations"),
               "attachment": _l("Fichiers joints"), "comment": _l("Commentaires"), "news": _l("Nouvelles du terrain")}


class ChangesFilterForm(FlaskForm):
    class Meta:
        csrf = False  # GET

    type = SelectField(_l("Type"), choices=[], validators=[Optional()])
    groupe = SelectField(_l("Groupe"), choices=[], validators=[Optional()])
    theme = SelectField(_l("Thème"), choices=[], validators=[Optional()])
    cote = SelectField(_l("Côté"), choices=[], validators=[Optional()])

    def set_choices(self, groups, themes) -> None:
        everything = SelectChoice("", _l("Tous"))
        self.type.choices = [everything] + [SelectChoice(k, label) for k, label in KIND_LABELS.items()]
        self.groupe.choices = [everything] + [SelectChoice(g.slug, g.name) for g in groups]
        self.theme.choices = [everything] + [SelectChoice(slug, name) for slug, name in themes]
        self.cote.choices = [everything, SelectChoice("nord", _l("Nord")), SelectChoice("sud", _l("Sud"))]

    def chosen(self, name: str) -> str | None:
        """A value offered by the list, or None (an unknown value counts as « Tous »)."""
        field = getattr(self, name)
        return field.data if field.data and field.data in {choice.value for choice in field.choices} else None


class FollowThemeForm(FlaskForm):
    theme = SelectField(_l("Thème"), choices=[])

    def set_choices(self, names: dict[str, str]) -> None:
        self.theme.choices = [SelectChoice(slug, name) for slug, name in sorted(names.items(), key=lambda i: i[1])]


class FollowSettingsForm(FlaskForm):
    follow_own_edits = BooleanField(_l("Suivre ce que je crée ou modifie"))
    mail_frequency = SelectField(_l("Recevoir par e-mail les nouveautés de ce que je suis, et quand on me cite (@nom)"),
                                 choices=[SelectChoice(key, label) for key, label in FREQUENCY_LABELS.items()],
                                 validate_choice=False)  # shown only with e-mail set up; checked by set_frequency

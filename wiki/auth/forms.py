from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..i18n import LANGUAGES
from .passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

# WTForms fills in %(min)d and %(max)d.
PASSWORD_LENGTH = Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, message=_l("Entre %(min)d et %(max)d caractères."))


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(_l("Indiquez votre adresse.")), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Indiquez votre mot de passe.")),
                                                             Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Rester connecté sur cet appareil"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(_l("Indiquez votre adresse.")), Length(max=254)])


class ChoosePasswordForm(FlaskForm):
    password = PasswordField(_l("Nouveau mot de passe"), validators=[DataRequired(_l("Choisissez un mot de passe.")),
                                                                     PASSWORD_LENGTH])
    confirm = PasswordField(_l("Confirmez le mot de passe"),
                            validators=[EqualTo("password", _l("Les deux mots de passe diffèrent."))])


class ChangePasswordForm(ChoosePasswordForm):
    current = PasswordField(_l("Mot de passe actuel"),
                            validators=[DataRequired(_l("Indiquez votre mot de passe actuel.")),
                                        Length(max=MAX_PASSWORD_LENGTH)])


class TokenForm(FlaskForm):
    name = StringField(_l("Nom du jeton (à quoi il sert)"), validators=[Length(max=100)])


class CodeForm(FlaskForm):
    """Second step of a login, and confirmation of the two-factor setup."""
    code = StringField(_l("Code"), validators=[DataRequired(_l("Saisissez le code.")), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"})


class PasswordConfirmForm(FlaskForm):
    """Turning two-factor login off, or new recovery codes: the password is asked again."""
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Indiquez votre mot de passe.")),
                                                             Length(max=MAX_PASSWORD_LENGTH)])


class TotpSetupForm(CodeForm):
    """Enabling two-factor login asks the password too: with a stolen session alone, nobody can
    lock the owner out of the account behind a phone of their own."""
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Indiquez votre mot de passe.")),
                                                             Length(max=MAX_PASSWORD_LENGTH)])


class LanguageForm(FlaskForm):
    language = SelectField(_l("Langue de l'interface"),
                           choices=[SelectChoice("", _l("Celle de mon navigateur")),
                                    *(SelectChoice(code, name) for code, name in LANGUAGES.items())])

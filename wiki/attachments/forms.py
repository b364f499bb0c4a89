from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField


class UploadForm(FlaskForm):
    file = MultipleFileField(_l("Joindre des fichiers"))

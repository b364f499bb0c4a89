from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from .services import MAX_COMMENT


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Votre commentaire (Markdown)"), render_kw={"rows": 4, "maxlength": MAX_COMMENT})
    parent = HiddenField(validators=[Optional()])

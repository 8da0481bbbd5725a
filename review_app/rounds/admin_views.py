"""Admin pages: create and edit rounds, import policy text, move a round through its states."""

from flask import Blueprint

from ..accounts.models import Role
from ..security import roles_required

bp = Blueprint("rounds_admin", __name__, url_prefix="/admin/rounds")


@bp.get("/")
@roles_required(Role.ADMIN)
def index():
    return "admin"

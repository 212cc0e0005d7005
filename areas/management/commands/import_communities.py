"""``manage.py import_communities FILE [--dry-run] [--user USERNAME]`` (issue 21 item 2)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from areas.imports import import_communities, may_load
from lyushunkou.importing import ImportCommand
from lyushunkou.models import User


class Command(ImportCommand):
    help = (
        "Load the communities and villages of each street (columns 社区（村）代码, 社区（村）名称, "
        "所属街道) from an .xlsx or .csv file. All or nothing: any invalid row means nothing is "
        "written and every error is listed; exit status 1. A code already loaded updates it."
    )
    importer = staticmethod(import_communities)

    def _user(self, username: str) -> User:
        """District-wide staff or the system administrator, not only staff as other imports."""
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not may_load(user):
            raise CommandError(
                _("%(username)s is not an active district-wide staff or system administrator.")
                % {"username": username}
            )
        return user

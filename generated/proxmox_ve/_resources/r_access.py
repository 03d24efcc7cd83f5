"""Resource /access"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_access_domains import AccessDomains
    from .r_access_groups import AccessGroups
    from .r_access_roles import AccessRoles
    from .r_access_ticket import AccessTicket
    from .r_access_users import AccessUsers


class Access(Resource):
    """Resource /access"""

    __slots__ = ()

    @property
    def users(self) -> AccessUsers:
        from .r_access_users import AccessUsers as _cls

        return _cls(self._client, self._values)

    @property
    def groups(self) -> AccessGroups:
        from .r_access_groups import AccessGroups as _cls

        return _cls(self._client, self._values)

    @property
    def roles(self) -> AccessRoles:
        from .r_access_roles import AccessRoles as _cls

        return _cls(self._client, self._values)

    @property
    def domains(self) -> AccessDomains:
        from .r_access_domains import AccessDomains as _cls

        return _cls(self._client, self._values)

    @property
    def ticket(self) -> AccessTicket:
        from .r_access_ticket import AccessTicket as _cls

        return _cls(self._client, self._values)

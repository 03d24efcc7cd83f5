"""Resource /nodes/{node}/storage/{storage}/upload"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t


class NodesNodeStorageStorageUpload(Resource):
    """Resource /nodes/{node}/storage/{storage}/upload"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/storage/{storage}/upload",
        params={
            "content": P(
                "content",
                "string",
                required=True,
                enum=("iso", "vztmpl", "import"),
                format="pve-storage-content",
            ),
            "filename": P("filename", "string", required=True, max_length=255),
            "checksum": P("checksum", "string"),
            "checksum_algorithm": P(
                "checksum-algorithm",
                "string",
                enum=("md5", "sha1", "sha224", "sha256", "sha384", "sha512"),
            ),
            "tmpfilename": P("tmpfilename", "string", pattern="/var/tmp/pveupload-[0-9a-f]+"),
        },
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("storage", "string", required=True, format="pve-storage-id"),
        ),
        open=False,
        returns=None,
    )

    def post(
        self,
        *,
        content: _t.Content,
        filename: str,
        checksum: str | None = None,
        checksum_algorithm: _t.ChecksumAlgorithm | None = None,
        tmpfilename: str | None = None,
    ) -> str:
        """Send a file (an ISO image, a container template or an image to import) to a storage; runs as a task.

        POST /nodes/{node}/storage/{storage}/upload
        Proxmox name: upload

        Args:
            content (string; required; format pve-storage-content; one of "iso", "vztmpl", "import"): What the file is: 'iso', 'vztmpl' or 'import'; the storage must allow that content.
            filename (string; required; length 0..255): Name the file gets on the storage; the server adjusts names with unusual characters.
            checksum (string): Checksum the uploaded file must have; the task fails otherwise.
            checksum-algorithm (string; one of "md5", "sha1", "sha224", "sha256", "sha384", "sha512"): Hash function that 'checksum' was made with.
            tmpfilename (string; pattern /var/tmp/pveupload-[0-9a-f]+): Temporary file the proxy stored the upload in; set by the server, only settable over the trusted local port.

        Permissions: check: ["perm", "/storage/{storage}", ["Datastore.AllocateTemplate"]]

        Returns: string (Task id (UPID) of the task that moves the file into place.)
        """
        return self._call(
            self._op_post,
            {
                "content": content,
                "filename": filename,
                "checksum": checksum,
                "checksum_algorithm": checksum_algorithm,
                "tmpfilename": tmpfilename,
            },
        )

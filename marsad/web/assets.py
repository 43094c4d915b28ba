"""Static files with precompressed variants and cache headers.

``build_assets`` writes ``NAME.gz`` beside the large vendor files (outline layers, libraries);
a browser that accepts gzip gets that file as is, so the server never compresses the same
megabyte twice. Vendor files change only with the pinned package versions: they may be cached
for a day; Marsad's own scripts and styles are revalidated (ETag) on each load.
"""

from __future__ import annotations

import mimetypes
import os

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

mimetypes.add_type("application/geo+json", ".geojson")


class AssetFiles(StaticFiles):
    def file_response(self, full_path, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        request_headers = Headers(scope=scope)
        path = str(full_path)
        vendor = f"{os.sep}vendor{os.sep}" in path
        headers = {"Cache-Control": "public, max-age=86400" if vendor else "no-cache", "Vary": "Accept-Encoding"}
        gz = path + ".gz"
        if "gzip" in request_headers.get("accept-encoding", "") and os.path.exists(gz):
            gz_stat = os.stat(gz)
            if gz_stat.st_mtime >= stat_result.st_mtime:
                media = mimetypes.guess_type(path)[0] or "application/octet-stream"
                response = FileResponse(gz, status_code=status_code, stat_result=gz_stat, media_type=media,
                                        headers={**headers, "Content-Encoding": "gzip"})
                if self.is_not_modified(response.headers, request_headers):
                    return NotModifiedResponse(response.headers)
                return response
        response = FileResponse(path, status_code=status_code, stat_result=stat_result, headers=headers)
        if self.is_not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response

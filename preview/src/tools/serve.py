"""Serves preview/dist as python's http.server does, sending the precompressed copy preview/build writes beside a
file (`.br`, else `.gz`) when the browser accepts that encoding: what the page costs from a static host that serves
precompressed files (nginx `brotli_static`/`gzip_static`, Caddy `precompressed`).

Usage: python3 serve.py <port> <directory>   (loopback only)
"""

import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        accepted = self.headers.get("Accept-Encoding", "")
        for suffix, encoding in ((".br", "br"), (".gz", "gzip")):
            if encoding in accepted and os.path.isfile(path + suffix):
                with open(path + suffix, "rb") as f:
                    body = f.read()
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                self.body = body
                return None
        return super().send_head()

    def do_GET(self):
        self.body = None
        f = self.send_head()
        if self.body is not None:
            self.wfile.write(self.body)
        elif f:
            try:
                self.copyfile(f, self.wfile)
            finally:
                f.close()


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), sys.argv[2]
    handler = functools.partial(Handler, directory=directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()

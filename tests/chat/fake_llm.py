"""A local OpenAI-compatible chat-completions server over real HTTP, for translation tests.

It answers ``[<target language>] <text>``; a user message containing ``SLOW`` is answered
after 3 s (past the 2 s deadline) and one containing ``FAIL`` with HTTP 500.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Handler.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), **body}
        )
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        if "FAIL" in user:
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b'{"error": "boom"}')
            return
        if "SLOW" in user:
            time.sleep(3)
        target = re.search(r"into (\w+)", system)
        answer = f"[{target.group(1) if target else '?'}] {user}"
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": answer}}]})
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data.encode())
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass


@contextmanager
def fake_llm() -> Iterator[tuple[str, list[dict]]]:
    """Serve on a free loopback port; yields the base URL (``.../v1``) and the requests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    _Handler.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", _Handler.requests
    finally:
        server.shutdown()
        server.server_close()

"""TLS: verification stays on, and a custom CA (CURL_CA_BUNDLE,
SSL_CERT_FILE) is honoured.  A self-signed certificate for 127.0.0.1 is
made with the openssl command at test time."""
import http.server
import json
import os
import ssl
import subprocess
import threading

from common import RustnoteTest

REPLY = {"summary": "ok", "findings": [{
    "kind": "incorrect", "severity": "high",
    "quote": "Heap deallocation is explicit and deliberate (via `drop`)",
    "line": 58, "topic": "drop", "message": "Deallocation is automatic.",
    "suggestion": "Say it happens when the owner goes out of scope."}]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps({
            "id": "x", "object": "chat.completion", "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": json.dumps(REPLY)}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Tls(RustnoteTest):
    def setUp(self):
        super().setUp()
        self.cert = os.path.join(self.sb.dir, "cert.pem")
        key = os.path.join(self.sb.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", self.cert],
                       check=True, capture_output=True, timeout=60)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, key)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     Handler)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket,
                                            server_side=True)
        t = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        t.start()
        self.addCleanup(self.httpd.server_close)
        self.addCleanup(self.httpd.shutdown)
        self.url = "https://127.0.0.1:%d/v1" % self.httpd.server_address[1]
        self.note = self.sb.copy_seed()

    def review(self, **env):
        return self.run_rn("review", "--json", "--no-stream", "--no-cache",
                           "-p", "openai", "-u", self.url, self.note,
                           env=self.sb.env(RUSTNOTE_API_KEY="sk-tls-test",
                                           **env))

    def test_unknown_certificate_is_refused(self):
        p = self.review()
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertRegex(p.stderr.lower(), r"certificate|tls|ssl")
        self.assertNotIn("sk-tls-test", p.stderr)

    def test_custom_ca_bundle_is_honoured(self):
        for var in ("CURL_CA_BUNDLE", "SSL_CERT_FILE"):
            p = self.review(**{var: self.cert})
            self.assertEqual(p.returncode, 0, "%s: %s" % (var, p.stderr))
            doc = json.loads(p.stdout)
            llm = [f for f in doc["findings"] if f["source"] == "llm"
                   or f["line"] == 58]
            self.assertTrue(any(f["line"] == 58 for f in llm))

"""The fake LLM server itself: each stream, decoded by a small reference
reader written from the providers' documentation, gives back exactly the
scripted text.  Needs no rustnote binary."""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import read_reply  # noqa: E402
from fakellm import FakeLLM, finding_ends  # noqa: E402

PATHS = {"openai": "/v1/chat/completions", "anthropic": "/v1/messages",
         "ollama": "/api/chat"}


def post(srv, provider, body, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    c.request("POST", PATHS[provider], json.dumps(body), h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


def sse_events(data):
    """(event, data) pairs of an SSE body, per the WHATWG rules."""
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for block in text.split("\n\n"):
        ev, lines = None, []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if field == "event":
                ev = value
            elif field == "data":
                lines.append(value)
        if lines:
            out.append((ev, "\n".join(lines)))
    return out


class WireFormatTest(unittest.TestCase):
    def setUp(self):
        self.srv = FakeLLM().start()
        self.addCleanup(self.srv.stop)
        self.text = read_reply("clean.json")

    def test_openai_stream(self):
        self.srv.push(reply=self.text, noise=True)
        r, data = post(self.srv, "openai", {
            "model": "m", "stream": True,
            "stream_options": {"include_usage": True}})
        self.assertEqual(r.status, 200)
        self.assertTrue(r.getheader("content-type").startswith(
            "text/event-stream"))
        evs = sse_events(data)
        self.assertEqual(evs[-1][1], "[DONE]")
        chunks = [json.loads(d) for _, d in evs[:-1]]
        self.assertEqual(chunks[0]["choices"][0]["delta"].get("role"),
                         "assistant")
        text = "".join(c["choices"][0]["delta"].get("content") or ""
                       for c in chunks if c["choices"])
        self.assertEqual(text, self.text)
        self.assertEqual(chunks[-1]["choices"], [])
        self.assertEqual(chunks[-1]["usage"]["prompt_tokens"], 1234)
        self.assertEqual(chunks[-2]["choices"][0]["finish_reason"], "stop")
        self.assertIn(b": keep-alive", data)

    def test_anthropic_stream(self):
        self.srv.push(reply=self.text, finish="length", noise=True)
        r, data = post(self.srv, "anthropic", {"model": "c", "stream": True})
        evs = sse_events(data)
        names = [e for e, _ in evs]
        self.assertEqual(names[0], "message_start")
        self.assertEqual(names[-3:], ["content_block_stop", "message_delta",
                                      "message_stop"])
        self.assertIn("ping", names)
        for e, d in evs:
            self.assertEqual(json.loads(d)["type"], e)
        text = "".join(json.loads(d)["delta"]["text"] for e, d in evs
                       if e == "content_block_delta" and
                       json.loads(d)["delta"]["type"] == "text_delta")
        self.assertEqual(text, self.text)
        md = json.loads(evs[-2][1])
        self.assertEqual(md["delta"]["stop_reason"], "max_tokens")

    def test_ollama_stream_and_whole(self):
        self.srv.push(reply=self.text)
        r, data = post(self.srv, "ollama", {"model": "l"})
        self.assertEqual(r.getheader("content-type"), "application/x-ndjson")
        objs = [json.loads(l) for l in data.decode().splitlines()]
        self.assertTrue(objs[-1]["done"])
        self.assertEqual(objs[-1]["eval_count"], 567)
        self.assertEqual("".join(o["message"]["content"] for o in objs),
                         self.text)
        self.srv.push(reply=self.text)
        r, data = post(self.srv, "ollama", {"model": "l", "stream": False})
        self.assertEqual(json.loads(data)["message"]["content"], self.text)

    def test_whole_replies(self):
        for provider in ("openai", "anthropic"):
            self.srv.push(reply=self.text)
            r, data = post(self.srv, provider, {"model": "m"})
            obj = json.loads(data)
            got = (obj["choices"][0]["message"]["content"]
                   if provider == "openai" else obj["content"][0]["text"])
            self.assertEqual(got, self.text)
            self.assertEqual(int(r.getheader("content-length")), len(data))

    def test_errors_and_headers(self):
        self.srv.push(status=429, retry_after=2, retry_after_ms=1500)
        r, data = post(self.srv, "openai", {"model": "m"})
        self.assertEqual(r.status, 429)
        self.assertEqual(r.getheader("retry-after"), "2")
        self.assertEqual(r.getheader("retry-after-ms"), "1500")
        self.assertEqual(json.loads(data)["error"]["code"],
                         "rate_limit_exceeded")
        self.srv.push(status=529)
        r, data = post(self.srv, "anthropic", {"model": "c"})
        self.assertEqual(json.loads(data), {"type": "error", "error": {
            "type": "overloaded_error", "message": "Overloaded"}})
        self.srv.push(status=404, message="model \"x\" not found")
        r, data = post(self.srv, "ollama", {"model": "x"})
        self.assertEqual(json.loads(data), {"error": "model \"x\" not found"})

    def test_requests_recorded(self):
        self.srv.push(reply="{}")
        post(self.srv, "openai", {"model": "m"}, {"Authorization": "Bearer k"})
        r = self.srv.api_requests()[0]
        self.assertEqual(r["json"], {"model": "m"})
        self.assertEqual(r["headers"]["authorization"], "Bearer k")
        self.assertEqual(r["path"], "/v1/chat/completions")

    def test_reset(self):
        self.srv.push(fault="reset")
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            post(self.srv, "openai", {"model": "m"})

    def test_finding_ends(self):
        ends = finding_ends(self.text)
        self.assertEqual(len(ends), len(json.loads(self.text)["findings"]))
        for e in ends:
            self.assertEqual(self.text[e - 1], "}")

    def test_hold_and_release(self):
        self.srv.push(reply=self.text, hold_after_finding=1)
        c = socket.create_connection(("127.0.0.1", self.srv.port))
        body = json.dumps({"model": "m", "stream": True}).encode()
        c.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nContent-Length: %d\r\n"
                  b"\r\n%s" % (len(body), body))
        self.assertTrue(self.srv.held.wait(5))
        c.settimeout(0.3)
        got = b""
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                got += d
        except socket.timeout:
            pass
        self.assertNotIn(b"[DONE]", got)
        self.srv.release()
        c.settimeout(5)
        while b"[DONE]" not in got:
            d = c.recv(65536)
            if not d:
                break
            got += d
        c.close()
        self.assertIn(b"[DONE]", got)


class CommandTest(unittest.TestCase):
    def test_script_and_port_file(self):
        d = tempfile.mkdtemp()
        script = os.path.join(d, "s.json")
        with open(script, "w") as f:
            json.dump({"steps": [{"status": 500}],
                       "default": {"reply": "hello"}}, f)
        pf = os.path.join(d, "port")
        p = subprocess.Popen([sys.executable, os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "fakellm.py"),
            "--port-file", pf, "--script", script],
            stdout=subprocess.DEVNULL)
        try:
            end = time.monotonic() + 10
            while not os.path.exists(pf) and time.monotonic() < end:
                time.sleep(0.02)
            with open(pf) as f:
                port = int(f.read())
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            for want in (500, 200):
                c.request("POST", "/v1/chat/completions", '{"model":"m"}',
                          {"Content-Type": "application/json"})
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, want)
            c.request("GET", "/_fake/requests")
            reqs = json.loads(c.getresponse().read())
            self.assertEqual(len(reqs), 2)
            c.close()
        finally:
            p.terminate()
            p.wait(5)
            for name in os.listdir(d):
                os.unlink(os.path.join(d, name))
            os.rmdir(d)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""fakellm - a scripted stand-in for the OpenAI, Anthropic and Ollama APIs.

A threaded HTTP/1.1 server bound to 127.0.0.1 that answers with each
provider's exact wire format: plain JSON replies, streamed replies (OpenAI
and Anthropic server-sent events, Ollama NDJSON), error bodies, and the
faults real networks produce (stalls, cuts, resets, HTML error pages).

In a test:

    with FakeLLM() as srv:
        srv.push(reply=TEXT)                   # next request gets this
        srv.push(status=429, retry_after_ms=20)
        ... run the client against srv.url("openai") ...
        srv.requests  # [{method, path, headers, json, provider, time, ...}]

As a command (benchmarks, TUI tests):

    python3 fakellm.py --port-file PORT --script SCRIPT.json

SCRIPT.json is a list of steps, or {"steps": [...], "default": {...}}.

A step is a dict; every key is optional:

  reply          reply text (the model's answer)
  reply_file     read the reply text from this file (relative to the script)
  stream         force streaming on/off; default: what the request asked
  finish         "stop" | "length" | "filter"  (mapped per provider)
  usage          [input_tokens, output_tokens]
  delta_chars    largest text delta in a stream (split at random sizes)
  delay          seconds to sleep after each streamed write
  delay_headers  seconds to sleep before answering at all
  split_writes   split each stream event into several TCP writes
  split_pause    seconds to sleep between those writes (default 0)
  coalesce       group stream events into writes of about this many bytes
  transfer       "chunked" (default) | "close" (close-delimited body)
  noise          keep-alive comments, pings, unknown events, other deltas
  hold_after     stream text up to this character offset, then wait for
                 release() (or POST /_fake/release) before the rest
  hold_after_finding  hold after the N-th finding object's closing brace
  status         HTTP status of an error reply (non-200)
  error_type, error_code, error_param, message   fields of the error body
  retry_after, retry_after_ms    headers sent with the error
  html           send an HTML page instead of a JSON error body
  raw_body       send these bytes as the body (status default 200)
  content_type   override the reply's content type
  fault          "stall" | "cut" | "reset" | "midstream_error"
  after_chars    with stall/cut/midstream_error: text sent before the fault
  reset_cut      with cut: close with a TCP reset instead of a FIN
  repeat         use this step this many times (default 1)
  cache_plan     build the stream once and replay it (benchmarks)
  sse_style      "nospace" (data:{...}), "crlf" or "cr" line ends, or
                 "nospace+crlf"
  vllm           usage chunk with "choices": null instead of []
  first_byte_wait  send the headers, then nothing for this many seconds
                 before the body (a reasoning model thinking; delay_headers
                 is Ollama loading a model: nothing at all)
  think          reasoning text put before the reply inside the content,
                 as DeepSeek-R1 / QwQ / llama.cpp --reasoning-format none
                 do: "<think>TEXT</think>\n" (think_tag: "thinking")
  reasoning      reasoning text in a field of its own: OpenAI-style
                 reasoning_content (reasoning_key: "reasoning" as vLLM and
                 OpenRouter), Ollama's message.thinking, Anthropic's
                 thinking block
  refusal        the model refuses: OpenAI's delta.refusal /
                 message.refusal with content null; Anthropic's
                 stop_reason "refusal" (reply text, if any, before it)
  error_null     "error": null in every chunk and body, as some proxies add
  x_should_retry value of an x-should-retry header sent with the reply
  quota          with status 429: OpenAI's insufficient_quota body

Real server behaviour, not scripted per step (each checked before a step
is taken, so a refused request leaves the script as it was):

  * gpt-5 and o-series models (o1, o3, o4-mini, ...) answer 400 to
    max_tokens and to a temperature other than 1, with OpenAI's bodies.
  * Azure OpenAI paths /openai/deployments/NAME/chat/completions (need
    ?api-version= and an api-key header) and /openai/v1/chat/completions.
  * claude-3 models answer 400 to output_config (no structured output);
    so does every model when srv.no_output_config is set.  claude-3-haiku
    (4096) and claude-3-5-haiku (8192) answer 400 to a larger max_tokens,
    in Anthropic's words.
  * srv.no_schema: Ollama answers 400 (srv.schema_status) "invalid JSON
    schema in format" to a schema in "format".
  * Ollama keeps num_ctx (default srv.ollama_ctx = 4096) tokens of the
    prompt (about 4 bytes each) and drops the rest without a word: the
    request record gets "truncated", prompt_eval_count says num_ctx.
  * srv.require_key: requests without that key get 401.
  * Status 520-524 answer with Cloudflare's HTML page.
  * GET /v1/models (OpenAI or, with anthropic-version, Anthropic shape),
    GET /api/tags (Ollama) list srv.models; srv.models_status makes that
    an error instead.

Control endpoints (for the command form): GET /_fake/requests,
GET /_fake/marks, POST /_fake/push (a step or list), POST /_fake/default,
POST /_fake/release, POST /_fake/reset.

Python standard library only.
"""
import argparse
import http.server
import json
import os
import random
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time

PATHS = {
    "/v1/chat/completions": "openai",
    "/chat/completions": "openai",
    "/api/v1/chat/completions": "openai",	# OpenRouter
    "/v1/messages": "anthropic",
    "/api/chat": "ollama",
}

FINISH = {
    "openai": {"stop": "stop", "length": "length", "filter": "content_filter"},
    "anthropic": {"stop": "end_turn", "length": "max_tokens",
                  "filter": "refusal"},
    "ollama": {"stop": "stop", "length": "length", "filter": "stop"},
}

DEFAULT_USAGE = (1234, 567)

# Azure OpenAI: classic deployment URLs and the v1 form.
AZURE_CLASSIC = re.compile(r"^/openai/deployments/([^/]+)/chat/completions$")
AZURE_V1 = "/openai/v1/chat/completions"

# Models that refuse max_tokens and a temperature other than 1.
REASONING_MODEL = re.compile(r"^(o\d|gpt-5)")

# OpenAI's exact bodies for those refusals.
MAX_TOKENS_400 = {"error": {
    "message": "Unsupported parameter: 'max_tokens' is not supported with "
               "this model. Use 'max_completion_tokens' instead.",
    "type": "invalid_request_error", "param": "max_tokens",
    "code": "unsupported_parameter"}}


def temperature_400(value):
    return {"error": {
        "message": "Unsupported value: 'temperature' does not support %s "
                   "with this model. Only the default (1) value is "
                   "supported." % value,
        "type": "invalid_request_error", "param": "temperature",
        "code": "unsupported_value"}}


# Anthropic models whose replies are capped below rustnote's budget.
ANTHROPIC_OUTPUT_LIMITS = (("claude-3-haiku", 4096),
                           ("claude-3-5-haiku", 8192))

OUTPUT_CONFIG_400 = {"type": "error", "error": {
    "type": "invalid_request_error",
    "message": "output_config: Extra inputs are not permitted"}}

QUOTA_429 = {"error": {
    "message": "You exceeded your current quota, please check your plan and "
               "billing details. For more information on this error, read "
               "the docs: https://platform.openai.com/docs/guides/"
               "error-codes/api-errors.",
    "type": "insufficient_quota", "param": None,
    "code": "insufficient_quota"}}

AZURE_401 = {"error": {
    "code": "401",
    "message": "Access denied due to invalid subscription key or wrong API "
               "endpoint. Make sure to provide a valid key for an active "
               "subscription and use a correct regional API endpoint for "
               "your resource."}}

CLOUDFLARE = {520: "Web server is returning an unknown error",
              521: "Web server is down", 522: "Connection timed out",
              523: "Origin is unreachable", 524: "A timeout occurred"}


def cloudflare_page(status):
    return ("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>"
            "example.com | %d: %s</title>\n</head>\n<body>\n"
            "<div id=\"cf-error-details\"><h1>%s</h1>"
            "<span>Error code %d</span>\n<p>Cloudflare Ray ID: "
            "8f1a2b3c4d5e6f70</p></div>\n</body>\n</html>\n"
            % (status, CLOUDFLARE[status], CLOUDFLARE[status],
               status)).encode("utf-8")


def route(path):
    """(provider, azure) for a request path; provider None when unknown."""
    if path in PATHS:
        return PATHS[path], None
    if AZURE_CLASSIC.match(path):
        return "openai", "classic"
    if path == AZURE_V1:
        return "openai", "v1"
    return None, None


def prompt_bytes(req):
    msgs = req.get("messages") or []
    return sum(len(str(m.get("content") or "").encode("utf-8"))
               for m in msgs if isinstance(m, dict))

HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
            b"<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
            b"<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n")

# Error presets: status -> (openai type, openai code, anthropic type, message)
ERRORS = {
    400: ("invalid_request_error", None, "invalid_request_error",
          "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "authentication_error",
          "Incorrect API key provided."),
    403: ("invalid_request_error", None, "permission_error",
          "Your API key does not have permission to use the specified "
          "resource."),
    404: ("invalid_request_error", "model_not_found", "not_found_error",
          "The model does not exist or you do not have access to it."),
    408: ("timeout", None, "timeout_error", "Request timed out."),
    413: ("invalid_request_error", None, "request_too_large",
          "Request exceeds the maximum allowed number of bytes."),
    429: ("requests", "rate_limit_exceeded", "rate_limit_error",
          "Rate limit reached for requests. Please try again later."),
    500: ("server_error", None, "api_error",
          "The server had an error while processing your request."),
    502: ("server_error", None, "api_error", "Bad gateway."),
    503: ("server_error", None, "api_error",
          "The engine is currently overloaded, please try again later."),
    529: ("server_error", None, "overloaded_error", "Overloaded"),
}


def finding_ends(text):
    """Offsets just past each '}' closing an object that sits in an array
    (a finding), found by a small JSON-aware scan that skips strings."""
    ends = []
    stack = []
    in_str = False
    esc = False
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append(ch)
        elif ch in "}]":
            if stack:
                opened = stack.pop()
                if opened == "{" and ch == "}" and stack and stack[-1] == "[":
                    ends.append(i + 1)
    return ends


def _dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class Plan:
    """The writes of one streamed reply: [(bytes, marks, hold)]."""

    def __init__(self):
        self.events = []  # (bytes, [mark offsets], hold_after_this)

    def add(self, data, marks=(), hold=False):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.events.append((data, list(marks), hold))


class StreamBuilder:
    """Turns reply text into one provider's stream events."""

    def __init__(self, provider, model, step, rng, include_usage):
        self.provider = provider
        self.model = model or "fake-model"
        self.step = step
        self.rng = rng
        self.include_usage = include_usage
        self.created = int(time.time())
        self.usage = tuple(step.get("usage") or DEFAULT_USAGE)

    # --- text splitting -------------------------------------------------
    def pieces(self, text, stops):
        """Split text into (piece, [mark offsets inside], hold) with random
        sizes; a piece always ends at each offset in stops."""
        maxc = max(1, int(self.step.get("delta_chars", 12)))
        marks = set(self.step.get("_marks", ()))
        hold = self.step.get("_hold")
        cuts = sorted(set(o for o in stops if 0 < o < len(text)))
        out = []
        pos = 0
        while pos < len(text):
            n = self.rng.randint(1, maxc)
            end = min(len(text), pos + n)
            for c in cuts:
                if pos < c < end:
                    end = c
                    break
            inside = [m for m in marks if pos < m <= end]
            out.append((text[pos:end], inside, hold is not None and end == hold))
            pos = end
        return out

    # --- per provider ---------------------------------------------------
    def openai_chunk(self, delta, finish=None, usage="absent"):
        obj = {"id": "chatcmpl-fake0123456789", "object": "chat.completion.chunk",
               "created": self.created, "model": self.model,
               "system_fingerprint": "fp_fake",
               "choices": [{"index": 0, "delta": delta, "logprobs": None,
                            "finish_reason": finish}]}
        if self.include_usage and usage == "absent":
            obj["usage"] = None
        if self.step.get("error_null"):
            obj["error"] = None
        return "data: " + _dumps(obj) + "\n\n"

    def build(self, text, finish="stop", until=None, tail=None):
        """Events for text[:until]; tail is "end" (a complete reply),
        or None (the caller appends a fault)."""
        plan = Plan()
        p = self.provider
        noise = self.step.get("noise")
        stops = [self.step.get("_hold") or 0]
        if until is not None:
            text = text[:until]
        reasoning = self.step.get("reasoning")
        refusal = self.step.get("refusal")
        if p == "openai":
            plan.add(self.openai_chunk({"role": "assistant", "content": "",
                                        "refusal": None}))
            if noise:
                plan.add(": keep-alive\n\n")
            key = self.step.get("reasoning_key", "reasoning_content")
            for piece, _, _ in self.pieces(reasoning or "", ()):
                plan.add(self.openai_chunk({"content": None, key: piece}))
            if refusal:
                for piece, _, _ in self.pieces(refusal, ()):
                    plan.add(self.openai_chunk({"refusal": piece}))
                text = ""
        elif p == "ollama" and reasoning:
            for piece, _, _ in self.pieces(reasoning, ()):
                plan.add(self.ollama_line({"role": "assistant",
                                           "content": "",
                                           "thinking": piece}))
        elif p == "anthropic":
            msg = {"id": "msg_01FakeFakeFakeFakeFake", "type": "message",
                   "role": "assistant", "model": self.model, "content": [],
                   "stop_reason": None, "stop_sequence": None,
                   "usage": {"input_tokens": self.usage[0],
                             "cache_creation_input_tokens": 0,
                             "cache_read_input_tokens": 0,
                             "output_tokens": 1}}
            plan.add(self.sse("message_start", {"type": "message_start",
                                                "message": msg}))
            idx = 0
            if reasoning:
                plan.add(self.sse("content_block_start", {
                    "type": "content_block_start", "index": 0,
                    "content_block": {"type": "thinking", "thinking": ""}}))
                for piece, _, _ in self.pieces(reasoning, ()):
                    plan.add(self.sse("content_block_delta", {
                        "type": "content_block_delta", "index": 0,
                        "delta": {"type": "thinking_delta",
                                  "thinking": piece}}))
                plan.add(self.sse("content_block_stop", {
                    "type": "content_block_stop", "index": 0}))
                idx = 1
            elif noise:
                plan.add(self.sse("content_block_start", {
                    "type": "content_block_start", "index": 0,
                    "content_block": {"type": "thinking", "thinking": ""}}))
                plan.add(self.sse("content_block_delta", {
                    "type": "content_block_delta", "index": 0,
                    "delta": {"type": "thinking_delta",
                              "thinking": "The learner says {\"kind\": 1}"}}))
                plan.add(self.sse("content_block_delta", {
                    "type": "content_block_delta", "index": 0,
                    "delta": {"type": "signature_delta",
                              "signature": "EqQBCgIYAhIM"}}))
                plan.add(self.sse("content_block_stop", {
                    "type": "content_block_stop", "index": 0}))
                idx = 1
            self.block = idx
            plan.add(self.sse("content_block_start", {
                "type": "content_block_start", "index": idx,
                "content_block": {"type": "text", "text": ""}}))
            plan.add(self.sse("ping", {"type": "ping"}))
            if noise:
                plan.add(self.sse("future_event_type", {
                    "type": "future_event_type", "text": "ignore me"}))
        for i, (piece, marks, hold) in enumerate(self.pieces(text, stops)):
            if p == "openai":
                ev = self.openai_chunk({"content": piece})
            elif p == "anthropic":
                ev = self.sse("content_block_delta", {
                    "type": "content_block_delta", "index": self.block,
                    "delta": {"type": "text_delta", "text": piece}})
            else:
                ev = self.ollama_line({"role": "assistant",
                                       "content": piece})
            plan.add(ev, marks, hold)
            if noise and i % 5 == 2:
                if p == "openai":
                    plan.add(": keep-alive\n\n")
                elif p == "anthropic":
                    plan.add(self.sse("ping", {"type": "ping"}))
        if tail == "end":
            self.end(plan, finish)
        return plan

    def ollama_line(self, message, **more):
        obj = {"model": self.model,
               "created_at": "2024-11-24T03:14:15.926535Z",
               "message": message, "done": False}
        obj.update(more)
        if self.step.get("error_null"):
            obj["error"] = None
        return _dumps(obj) + "\n"

    def end(self, plan, finish):
        p = self.provider
        reason = FINISH[p].get(finish, finish)
        inp, outp = self.usage
        if p == "openai":
            plan.add(self.openai_chunk({}, reason))
            if self.include_usage:
                obj = {"id": "chatcmpl-fake0123456789",
                       "object": "chat.completion.chunk",
                       "created": self.created, "model": self.model,
                       "system_fingerprint": "fp_fake",
                       "choices": None if self.step.get("vllm") else [],
                       "usage": {"prompt_tokens": inp,
                                 "completion_tokens": outp,
                                 "total_tokens": inp + outp}}
                if self.step.get("error_null"):
                    obj["error"] = None
                plan.add("data: " + _dumps(obj) + "\n\n")
            plan.add("data: [DONE]\n\n")
        elif p == "anthropic":
            plan.add(self.sse("content_block_stop", {
                "type": "content_block_stop", "index": self.block}))
            plan.add(self.sse("message_delta", {
                "type": "message_delta",
                "delta": {"stop_reason": reason, "stop_sequence": None},
                "usage": {"output_tokens": outp}}))
            plan.add(self.sse("message_stop", {"type": "message_stop"}))
        else:
            line = {
                "model": self.model,
                "created_at": "2024-11-24T03:14:16.000000Z",
                "message": {"role": "assistant", "content": ""},
                "done_reason": reason, "done": True,
                "total_duration": 4883583458, "load_duration": 1334875,
                "prompt_eval_count": inp,
                "prompt_eval_duration": 342546000,
                "eval_count": outp, "eval_duration": 4535599000}
            if self.step.get("error_null"):
                line["error"] = None
            plan.add(_dumps(line) + "\n")

    def error_event(self, plan, status_type="overloaded_error",
                    message="Overloaded"):
        p = self.provider
        if p == "openai":
            plan.add("data: " + _dumps({"error": {
                "message": message, "type": "server_error",
                "param": None, "code": None}}) + "\n\n")
        elif p == "anthropic":
            plan.add(self.sse("error", {"type": "error", "error": {
                "type": status_type, "message": message}}))
        else:
            plan.add(_dumps({"error": message}) + "\n")

    @staticmethod
    def sse(event, data):
        return "event: %s\ndata: %s\n\n" % (event, _dumps(data))


def whole_reply(provider, model, text, finish, usage, step=None):
    """The body of a reply that is not streamed."""
    step = step or {}
    body = _whole_reply(provider, model, text, finish, usage, step)
    reasoning = step.get("reasoning")
    if provider == "openai":
        msg = body["choices"][0]["message"]
        if reasoning:
            msg[step.get("reasoning_key", "reasoning_content")] = reasoning
        if step.get("refusal"):
            msg["content"] = None
            msg["refusal"] = step["refusal"]
    elif provider == "ollama" and reasoning:
        body["message"]["thinking"] = reasoning
    elif provider == "anthropic" and reasoning:
        body["content"].insert(0, {"type": "thinking", "thinking": reasoning,
                                   "signature": "EqQBCgIYAhIM"})
    if step.get("error_null") and provider != "anthropic":
        body["error"] = None
    return body


def _whole_reply(provider, model, text, finish, usage, step):
    reason = FINISH[provider].get(finish, finish)
    inp, outp = usage
    model = model or "fake-model"
    if provider == "openai":
        return {"id": "chatcmpl-fake0123456789", "object": "chat.completion",
                "created": int(time.time()), "model": model,
                "choices": [{"index": 0,
                             "message": {"role": "assistant", "content": text,
                                         "refusal": None, "annotations": []},
                             "logprobs": None, "finish_reason": reason}],
                "usage": {"prompt_tokens": inp, "completion_tokens": outp,
                          "total_tokens": inp + outp},
                "system_fingerprint": "fp_fake"}
    if provider == "anthropic":
        return {"id": "msg_01FakeFakeFakeFakeFake", "type": "message",
                "role": "assistant", "model": model,
                "content": [{"type": "text", "text": text}],
                "stop_reason": reason, "stop_sequence": None,
                "usage": {"input_tokens": inp, "output_tokens": outp}}
    return {"model": model, "created_at": "2024-11-24T03:14:16.000000Z",
            "message": {"role": "assistant", "content": text},
            "done_reason": reason, "done": True,
            "total_duration": 4883583458, "load_duration": 1334875,
            "prompt_eval_count": inp, "prompt_eval_duration": 342546000,
            "eval_count": outp, "eval_duration": 4535599000}


def error_body(provider, status, step, model):
    preset = ERRORS.get(status, ("api_error", None, "api_error",
                                 "Unexpected error."))
    message = step.get("message") or preset[3]
    if provider == "openai":
        err = {"message": message,
               "type": step.get("error_type", preset[0]),
               "param": step.get("error_param"),
               "code": step.get("error_code", preset[1])}
        return {"error": err}
    if provider == "anthropic":
        return {"type": "error",
                "error": {"type": step.get("error_type", preset[2]),
                          "message": message}}
    return {"error": message}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakellm/1.0"

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):  # quiet
        if self.server.fake.verbose:
            sys.stderr.write("fakellm: " + (fmt % args) + "\n")

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP,
                                       socket.TCP_NODELAY, 1)
        except OSError:
            pass

    # --- request --------------------------------------------------------
    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            data = b""
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n",
                                                              b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline(65537)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        fake = self.server.fake
        path = self.path.split("?", 1)[0]
        if path == "/_fake/requests":
            return self.send_json(200, [fake.public(r) for r in fake.requests])
        if path == "/_fake/marks":
            return self.send_json(200, list(fake.marks))
        if path in ("/api/tags", "/v1/models", "/models",
                    "/openai/v1/models", "/api/v1/models"):
            return self.model_list(path)
        return self.send_json(404, {"error": "not found: " + path})

    def model_list(self, path):
        fake = self.server.fake
        headers = {k.lower(): v for k, v in self.headers.items()}
        kind = ("ollama" if path == "/api/tags" else
                "anthropic" if "anthropic-version" in headers else "openai")
        fake.record({"method": "GET", "path": path, "query": "",
                     "target": self.path, "headers": headers,
                     "raw_headers": list(self.headers.items()), "body": b"",
                     "json": None, "provider": None, "models": kind,
                     "time": time.monotonic()})
        denied = fake.key_refused(kind, headers, None)
        if denied:
            return self.send_json(*denied)
        if fake.models_status:
            return self.send_json(fake.models_status, error_body(
                kind, fake.models_status, {}, None))
        names = list(fake.models)
        if kind == "ollama":
            return self.send_json(200, {"models": [
                {"name": n, "model": n, "modified_at":
                 "2024-11-24T03:14:15.926535Z", "size": 2019393189,
                 "digest": "a80c4f17acd5", "details": {
                     "format": "gguf", "family": "llama"}} for n in names]})
        if kind == "anthropic":
            return self.send_json(200, {"data": [
                {"type": "model", "id": n, "display_name": n,
                 "created_at": "2025-02-19T00:00:00Z"} for n in names],
                "has_more": False,
                "first_id": names[0] if names else None,
                "last_id": names[-1] if names else None})
        return self.send_json(200, {"object": "list", "data": [
            {"id": n, "object": "model", "created": 1686935002,
             "owned_by": "fakellm"} for n in names]})

    def do_POST(self):
        fake = self.server.fake
        body = self.read_body()
        path, _, query = self.path.partition("?")
        if path.startswith("/_fake/"):
            return self.control(path, body)
        try:
            parsed = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            parsed = None
        provider, azure = route(path)
        rec = {"method": self.command, "path": path, "query": query,
               "azure": azure,
               "target": self.path,
               "headers": {k.lower(): v for k, v in self.headers.items()},
               "raw_headers": list(self.headers.items()),
               "body": body, "json": parsed, "provider": provider,
               "time": time.monotonic()}
        fake.record(rec)
        if provider is None:
            return self.send_json(404, {"error": {
                "message": "Unknown request URL: POST %s." % path,
                "type": "invalid_request_error", "param": None,
                "code": "unknown_url"}})
        req = parsed if isinstance(parsed, dict) else {}
        refused = fake.refuse(provider, azure, query, rec["headers"], req)
        if refused:
            rec["step"] = "refused %d" % refused[0]
            return self.send_json(*refused)
        fake.ollama_context(provider, req, rec)
        step = fake.next_step()
        rec["step"] = step.get("_name") or step.get("fault") or \
            ("status %s" % step["status"] if "status" in step else "reply")
        try:
            self.serve_step(step, provider, parsed if isinstance(parsed, dict)
                            else {})
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def control(self, path, body):
        fake = self.server.fake
        try:
            arg = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            return self.send_json(400, {"error": "bad json"})
        if path == "/_fake/push":
            for s in (arg if isinstance(arg, list) else [arg]):
                fake.push(s)
        elif path == "/_fake/default":
            fake.set_default(arg)
        elif path == "/_fake/release":
            fake.release()
        elif path == "/_fake/reset":
            fake.reset()
        else:
            return self.send_json(404, {"error": "unknown control " + path})
        return self.send_json(200, {"ok": True})

    # --- replies --------------------------------------------------------
    def send_json(self, status, obj, extra=(), ctype="application/json"):
        data = json.dumps(obj).encode("utf-8")
        self.send_bytes(status, data, ctype, extra)

    def send_bytes(self, status, data, ctype, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def late_whole(self, step, extra, obj):
        """Headers now, the body after first_byte_wait (chunked)."""
        data = json.dumps(obj).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()
        if self.server.fake.stopping.wait(float(step["first_byte_wait"])):
            return
        self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data))
        self.wfile.flush()

    def reset_connection(self):
        """Close with SO_LINGER 0: the peer sees a TCP reset."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    def serve_step(self, step, provider, req):
        fake = self.server.fake
        if step.get("delay_headers"):
            if fake.stopping.wait(float(step["delay_headers"])):
                return
        fault = step.get("fault")
        if fault == "reset":
            return self.reset_connection()
        model = req.get("model")
        extra = []
        if "retry_after" in step:
            extra.append(("retry-after", str(step["retry_after"])))
        if "retry_after_ms" in step:
            extra.append(("retry-after-ms", str(step["retry_after_ms"])))
        if "x_should_retry" in step:
            extra.append(("x-should-retry", str(step["x_should_retry"])))
        extra.append(("x-request-id", "req_fake%06d" % len(fake.requests)))
        if provider == "anthropic":
            extra.append(("request-id", "req_01Fake%06d" % len(fake.requests)))
        if "raw_body" in step:
            raw = step["raw_body"]
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
            return self.send_bytes(step.get("status", 200), raw,
                                   step.get("content_type",
                                            "application/json"), extra)
        status = int(step.get("status", 200))
        if status in CLOUDFLARE and not step.get("message"):
            return self.send_bytes(status, cloudflare_page(status),
                                   "text/html; charset=UTF-8", extra)
        if status == 429 and step.get("quota"):
            return self.send_json(429, QUOTA_429 if provider == "openai"
                                  else error_body(provider, 429, step, model),
                                  extra)
        if step.get("html"):
            return self.send_bytes(status if status != 200 else 502, HTML_502,
                                   "text/html", extra)
        if status != 200:
            return self.send_json(status, error_body(provider, status, step,
                                                     model), extra)
        text = fake.reply_text(step)
        if step.get("think"):
            tag = step.get("think_tag", "think")
            text = "<%s>%s</%s>\n%s" % (tag, step["think"], tag, text)
        finish = step.get("finish", "stop")
        if step.get("refusal") and provider == "anthropic":
            finish = "filter"
            text = step.get("reply", "")
        usage = tuple(step.get("usage") or DEFAULT_USAGE)
        if provider == "ollama":
            want_stream = req.get("stream", True) is not False
        else:
            want_stream = req.get("stream") is True
        stream = step.get("stream", want_stream)
        usage = fake.usage_for(provider, req, usage)
        if not stream and fault is None:
            if step.get("first_byte_wait"):
                return self.late_whole(step, extra, whole_reply(
                    provider, model, text, finish, usage, step))
            return self.send_json(200, whole_reply(provider, model, text,
                                                   finish, usage, step),
                                  extra, step.get("content_type",
                                                  "application/json"))
        self.stream_reply(step, provider, req, text, finish, extra)

    def stream_reply(self, step, provider, req, text, finish, extra):
        fake = self.server.fake
        include_usage = bool((req.get("stream_options") or {})
                             .get("include_usage"))
        step = dict(step)
        ends = finding_ends(text)
        step["_marks"] = ends
        if "hold_after_finding" in step:
            n = int(step["hold_after_finding"])
            step["_hold"] = ends[n - 1] if len(ends) >= n else None
        elif "hold_after" in step:
            step["_hold"] = int(step["hold_after"])
        b = StreamBuilder(provider, req.get("model"), step, fake.rng(),
                          include_usage)
        fault = step.get("fault")
        after = int(step.get("after_chars", 0 if fault == "stall"
                             else len(text) // 2))
        ckey = None
        if step.get("cache_plan"):
            ckey = (provider, req.get("model"), hash(text), include_usage,
                    json.dumps(step, sort_keys=True, default=str))
        plan = fake.plan_cache.get(ckey) if ckey else None
        if plan is not None:
            pass
        elif fault in ("stall", "cut", "midstream_error"):
            plan = b.build(text, until=after)
            if fault == "midstream_error":
                b.error_event(plan, step.get("error_type", "overloaded_error"),
                              step.get("message", "Overloaded"))
        else:
            plan = b.build(text, finish, tail="end")
        style = step.get("sse_style")
        if style and provider != "ollama":
            plan.events = [(restyle(d, style), m, h)
                           for d, m, h in plan.events]
        if ckey and ckey not in fake.plan_cache:
            plan.events = coalesced(plan.events, int(step.get("coalesce", 0)))
            fake.plan_cache[ckey] = plan
        ctype = step.get("content_type") or (
            "application/x-ndjson" if provider == "ollama"
            else "text/event-stream; charset=utf-8")
        chunked = step.get("transfer", "chunked") == "chunked"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-cache")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()
        if step.get("first_byte_wait"):
            if fake.stopping.wait(float(step["first_byte_wait"])):
                return
        self.send_plan(plan, step, chunked, b.rng)
        if fault == "stall":
            # Say nothing more until the client gives up or we stop.
            fake.stalled.set()
            fake.stopping.wait(float(step.get("stall_seconds", 60)))
            return self.reset_connection()
        if fault == "cut":
            if step.get("reset_cut"):
                return self.reset_connection()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def send_plan(self, plan, step, chunked, rng):
        fake = self.server.fake
        delay = float(step.get("delay", 0))
        split = step.get("split_writes")
        pause = float(step.get("split_pause", 0))
        coalesce = 0 if step.get("cache_plan") else int(step.get("coalesce", 0))
        pending = []
        pending_len = 0
        pending_marks = []

        def write(data):
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)

        def flush(marks, hold):
            now = time.monotonic()
            for m in marks:
                fake.mark(m, now)
            if hold:
                fake.held.set()
                fake.release_event.wait(30)
            if delay:
                time.sleep(delay)

        for data, marks, hold in plan.events:
            if coalesce and not hold:
                pending.append(data)
                pending_len += len(data)
                pending_marks += marks
                if pending_len < coalesce:
                    continue
                write(b"".join(pending))
                flush(pending_marks, False)
                pending, pending_len, pending_marks = [], 0, []
                continue
            if pending:
                write(b"".join(pending))
                flush(pending_marks, False)
                pending, pending_len, pending_marks = [], 0, []
            if split and len(data) > 2:
                cut = sorted(set(rng.randint(1, len(data) - 1)
                                 for _ in range(2)))
                prev = 0
                for c in cut + [len(data)]:
                    write(data[prev:c])
                    prev = c
                    if pause:
                        time.sleep(pause)
            else:
                write(data)
            flush(marks, hold)
        if pending:
            write(b"".join(pending))
            flush(pending_marks, False)


def restyle(data, style):
    """SSE variants the spec allows: "nospace" (data:{...}), "crlf"
    (CR LF line ends), "cr" (bare CR line ends)."""
    if "nospace" in style:
        lines = []
        for line in data.split(b"\n"):
            for field in (b"data: ", b"event: "):
                if line.startswith(field):
                    line = field[:-1] + line[len(field):]
            lines.append(line)
        data = b"\n".join(lines)
    if "crlf" in style:
        data = data.replace(b"\n", b"\r\n")
    elif style == "cr":
        data = data.replace(b"\n", b"\r")
    return data


def coalesced(events, size):
    """Group small events into writes of about size bytes (holds kept
    separate); marks travel with their group."""
    if size <= 0:
        return events
    out, buf, marks, n = [], [], [], 0
    for data, m, hold in events:
        buf.append(data)
        marks += m
        n += len(data)
        if hold or n >= size:
            out.append((b"".join(buf), marks, hold))
            buf, marks, n = [], [], 0
    if buf:
        out.append((b"".join(buf), marks, False))
    return out


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # A client that hangs up or resets is normal here (timeouts,
        # retries, cancelled reviews): say nothing.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class FakeLLM:
    """The server, run in a thread of the calling process."""

    def __init__(self, steps=(), default=None, port=0, seed=20241124,
                 base_dir=None, verbose=False):
        self._lock = threading.Lock()
        self._steps = []
        self._default = default or {
            "status": 400, "_name": "script exhausted",
            "message": "fakellm: no scripted reply left for this request"}
        self.requests = []
        self.marks = []
        self.plan_cache = {}
        self.seed = seed
        self._rng_n = 0
        self.base_dir = base_dir or os.getcwd()
        self.verbose = verbose
        self.held = threading.Event()
        self.stalled = threading.Event()    # a "stall" reply went quiet
        self.release_event = threading.Event()
        self.stopping = threading.Event()
        self._port = port
        self._httpd = None
        self._thread = None
        # Real server behaviour (see the module doc).
        self.models = []
        self.models_status = 0
        self.no_schema = False
        self.schema_status = 400
        self.no_output_config = False
        self.ollama_ctx = 4096
        self.require_key = None
        for s in steps:
            self.push(s)

    # --- lifecycle ------------------------------------------------------
    def start(self):
        self._httpd = _Server(("127.0.0.1", self._port), Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.release_event.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    def url(self, provider="openai"):
        """The base URL a client is given for provider."""
        return self.base + "/v1" if provider == "openai" else self.base

    # --- script ---------------------------------------------------------
    def push(self, step=None, **kw):
        """Queue one behaviour for the next request; returns self."""
        s = dict(step or {})
        s.update(kw)
        with self._lock:
            self._steps.append(s)
        return self

    def set_default(self, step=None, **kw):
        """What requests get once the queue is empty."""
        s = dict(step or {})
        s.update(kw)
        with self._lock:
            self._default = s
        return self

    def reset(self):
        with self._lock:
            self._steps.clear()
            self.requests.clear()
            self.marks.clear()
        self.held.clear()
        self.release_event.clear()

    def next_step(self):
        with self._lock:
            if not self._steps:
                return dict(self._default)
            s = self._steps[0]
            left = int(s.get("repeat", 1)) - 1
            if left > 0:
                s["repeat"] = left
                return dict(s)
            return dict(self._steps.pop(0))

    def pending(self):
        with self._lock:
            return len(self._steps)

    def reply_text(self, step):
        if "reply" in step:
            return step["reply"]
        if "reply_file" in step:
            path = step["reply_file"]
            if not os.path.isabs(path):
                path = os.path.join(self.base_dir, path)
            with open(path, encoding="utf-8") as f:
                return f.read()
        return '{"summary": "", "findings": []}'

    # --- what real servers check before a step --------------------------
    def key_refused(self, provider, headers, azure):
        """(401, body) when srv.require_key is set and not sent."""
        if not self.require_key:
            return None
        want = self.require_key
        if azure or (provider == "openai" and "api-key" in headers):
            ok = headers.get("api-key") == want
        elif provider == "anthropic":
            ok = headers.get("x-api-key") == want
        else:
            ok = headers.get("authorization") == "Bearer " + want
        if ok:
            return None
        if azure:
            return 401, AZURE_401
        return 401, error_body(provider, 401, {}, None)

    def refuse(self, provider, azure, query, headers, req):
        """(status, body) for a request the real server would refuse."""
        if azure == "classic":
            if "api-version=" not in query:
                return 404, {"error": {"code": "404",
                                       "message": "Resource not found"}}
            if "api-key" not in headers:
                return 401, AZURE_401
        denied = self.key_refused(provider, headers, azure)
        if denied:
            return denied
        model = str(req.get("model") or "")
        if provider == "openai" and REASONING_MODEL.match(model):
            if "max_tokens" in req:
                return 400, MAX_TOKENS_400
            t = req.get("temperature")
            if t is not None and t != 1:
                return 400, temperature_400(t)
        limit = next((v for k, v in ANTHROPIC_OUTPUT_LIMITS
                      if model.startswith(k)), None)
        if provider == "anthropic" and limit and \
                int(req.get("max_tokens") or 0) > limit:
            return 400, {"type": "error", "error": {
                "type": "invalid_request_error",
                "message": "max_tokens: %d > %d, which is the maximum "
                           "allowed number of output tokens for %s"
                           % (req["max_tokens"], limit, model)}}
        if provider == "anthropic" and "output_config" in req and (
                self.no_output_config or model.startswith("claude-3")):
            return 400, OUTPUT_CONFIG_400
        if provider == "ollama" and self.no_schema and isinstance(
                req.get("format"), dict):
            return self.schema_status, {
                "error": "invalid JSON schema in format"}
        return None

    def ollama_context(self, provider, req, rec):
        """Ollama keeps num_ctx tokens of the prompt, silently."""
        if provider != "ollama":
            return
        ctx = (req.get("options") or {}).get("num_ctx") or self.ollama_ctx
        tokens = prompt_bytes(req) // 4
        rec["num_ctx"] = ctx
        rec["prompt_tokens"] = tokens
        rec["truncated"] = tokens > ctx

    def usage_for(self, provider, req, usage):
        """Ollama's prompt_eval_count never exceeds its context."""
        if provider != "ollama":
            return usage
        ctx = (req.get("options") or {}).get("num_ctx") or self.ollama_ctx
        return (min(usage[0], ctx), usage[1])

    def rng(self):
        with self._lock:
            self._rng_n += 1
            return random.Random(self.seed * 1000 + self._rng_n)

    # --- records --------------------------------------------------------
    def record(self, rec):
        with self._lock:
            self.requests.append(rec)

    def mark(self, offset, when):
        with self._lock:
            self.marks.append({"offset": offset, "time": when})

    def release(self):
        self.release_event.set()

    def api_requests(self):
        """Recorded requests to a provider endpoint (not control ones)."""
        with self._lock:
            return [r for r in self.requests if r["provider"]]

    def wait_requests(self, n, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(self.api_requests()) >= n:
                return True
            time.sleep(0.01)
        return False

    @staticmethod
    def public(rec):
        r = dict(rec)
        body = r.pop("body", b"")
        r["body"] = body.decode("utf-8", "replace")
        return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write the port number here")
    ap.add_argument("--script", help="JSON list of steps, or "
                    "{\"steps\": [...], \"default\": {...}}")
    ap.add_argument("--seed", type=int, default=20241124)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    steps, default, base = [], None, os.getcwd()
    if args.script:
        with open(args.script, encoding="utf-8") as f:
            script = json.load(f)
        base = os.path.dirname(os.path.abspath(args.script))
        if isinstance(script, dict):
            steps = script.get("steps", [])
            default = script.get("default")
        else:
            steps = script
    srv = FakeLLM(steps, default, port=args.port, seed=args.seed,
                  base_dir=base, verbose=args.verbose).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.port)
        os.replace(tmp, args.port_file)
    print("fakellm listening on %s" % srv.base, flush=True)
    try:
        while not done.wait(0.2):
            pass
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

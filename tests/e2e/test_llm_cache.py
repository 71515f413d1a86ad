"""End to end: the review cache under $XDG_CACHE_HOME/rustnote/."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import LLMTest, reply_findings, sha256_file  # noqa: E402


def cache_files(root):
    out = []
    for dirpath, _, files in os.walk(root):
        out += [os.path.join(dirpath, f) for f in files]
    return sorted(out)


class CacheTest(LLMTest):
    def first_run(self, *args, provider="openai"):
        self.srv.push(reply_file="clean.json")
        doc = self.review_json("--no-offline", *args, provider=provider)
        self.assertIs(doc["cached"], False)
        self.assertEqual(len(self.srv.api_requests()), 1)
        files = cache_files(os.path.join(self.sb.cache, "rustnote"))
        self.assertTrue(files, "nothing written under the cache dir")
        return doc

    def strip(self, doc):
        return [(f["kind"], f["line"], f["quote"], f["message"])
                for f in doc["findings"]]

    def test_second_run_is_cached(self):
        for provider in ("openai", "anthropic", "ollama"):
            with self.subTest(provider=provider):
                self.srv.reset()
                a = self.first_run(provider=provider)
                b = self.review_json("--no-offline", provider=provider)
                self.assertEqual(len(self.srv.api_requests()), 1,
                                 "second run made a request")
                self.assertIs(b["cached"], True)
                self.assertEqual(self.strip(a), self.strip(b))
                self.assertEqual(a["summary"], b["summary"])
                self.assertEqual(a["usage"], b["usage"])

    def test_no_cache_flag(self):
        self.first_run()
        self.srv.push(reply_file="clean.json")
        b = self.review_json("--no-offline", "--no-cache")
        self.assertEqual(len(self.srv.api_requests()), 2)
        self.assertIs(b["cached"], False)

    def test_cached_jsonl(self):
        self.first_run()
        proc = self.review("--jsonl", "--no-offline")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = [json.loads(l) for l in proc.stdout.splitlines()]
        self.assertEqual(len(self.srv.api_requests()), 1)
        self.assertEqual(lines[-1]["type"], "done")
        self.assertIs(lines[-1]["cached"], True)
        self.assertEqual(sum(1 for l in lines if l["type"] == "finding"),
                         len(reply_findings("clean.json")))

    def test_corrupt_cache_is_ignored(self):
        self.first_run()
        for path in cache_files(self.sb.cache):
            with open(path, "wb") as f:
                f.write(b'{"reply": "\x00\xff\xfe garbage ]]]')
        self.srv.push(reply_file="clean.json")
        b = self.review_json("--no-offline")
        self.assertIs(b["cached"], False)
        self.assertEqual(len(self.srv.api_requests()), 2)
        self.assertEqual(len(b["findings"]), len(reply_findings("clean.json")))

    def test_empty_cache_file_is_ignored(self):
        self.first_run()
        for path in cache_files(self.sb.cache):
            open(path, "wb").close()
        self.srv.push(reply_file="clean.json")
        b = self.review_json("--no-offline")
        self.assertIs(b["cached"], False)
        self.assertEqual(len(self.srv.api_requests()), 2)

    def test_wrong_json_in_cache_is_ignored(self):
        self.first_run()
        for path in cache_files(self.sb.cache):
            with open(path, "w") as f:
                json.dump({"reply": 42, "input_tokens": "x"}, f)
        self.srv.push(reply_file="clean.json")
        proc = self.review("--json", "--no-offline")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_edited_note_misses(self):
        self.first_run()
        with open(self.note, "a") as f:
            f.write("- Heap memory is freed exactly once.\n")
        self.note_hash = sha256_file(self.note)
        self.srv.push(reply_file="clean.json")
        b = self.review_json("--no-offline")
        self.assertIs(b["cached"], False)
        self.assertEqual(len(self.srv.api_requests()), 2)

    def test_other_model_misses(self):
        self.first_run()
        self.srv.push(reply_file="clean.json")
        b = self.review_json("--no-offline", model="gpt-4.1")
        self.assertIs(b["cached"], False)
        self.assertEqual(len(self.srv.api_requests()), 2)

    def test_failures_are_not_cached(self):
        self.srv.push(status=401)
        proc = self.review("--json", "--no-offline")
        self.assertEqual(proc.returncode, 4)
        self.srv.push(reply_file="refusal.txt")
        proc = self.review("--json", "--no-offline")
        self.assertEqual(proc.returncode, 5)
        self.srv.push(reply_file="clean.json")
        doc = self.review_json("--no-offline")
        self.assertIs(doc["cached"], False)
        self.assertEqual(len(self.srv.api_requests()), 3)

    def test_cut_stream_not_cached(self):
        self.srv.set_default({"reply_file": "clean.json", "fault": "cut"})
        proc = self.review("--json", "--no-offline")
        self.assertNotEqual(proc.returncode, 0)
        n = len(self.srv.api_requests())
        self.srv.set_default({"reply_file": "clean.json"})
        doc = self.review_json("--no-offline")
        self.assertIs(doc["cached"], False)
        self.assertEqual(len(self.srv.api_requests()), n + 1)

    def test_unwritable_cache_dir_still_reviews(self):
        os.makedirs(os.path.join(self.sb.cache, "rustnote"), exist_ok=True)
        with open(os.path.join(self.sb.cache, "rustnote", "reviews"),
                  "w") as f:
            f.write("a file where a folder should be")
        self.srv.push(reply_file="clean.json")
        doc = self.review_json("--no-offline")
        self.assertEqual(len(doc["findings"]),
                         len(reply_findings("clean.json")))


if __name__ == "__main__":
    unittest.main()

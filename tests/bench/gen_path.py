#!/usr/bin/env python3
"""Write a learning path of N sections in the style of the bundled sample
(notes/curriculum.md): numbered headings, a purpose, a topic list with
sub-points and a scope rule each, for `make bench`.

    gen_path.py OUT.md --sections 200
"""
import argparse

SUBJECTS = ["ownership", "borrowing", "lifetimes", "traits", "generics",
            "closures", "iterators", "error handling", "collections",
            "smart pointers", "threads", "async"]


def section(i):
    subj = SUBJECTS[i % len(SUBJECTS)]
    later = SUBJECTS[(i + 1) % len(SUBJECTS)]
    return "\n".join([
        f"## {i}. {subj.title()}, Part {i} (Step {i})",
        "",
        f"**Purpose:** the {subj} note number {i}.",
        "",
        "Write about:",
        "",
        f"* What {subj} means (definition, examples, pitfalls)",
        f"* How {subj} shows up in real code",
        f"* Why {subj} matters for **safety**",
        "* A worked example",
        "",
        f"Do **not** mention {later} here.",
        "",
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--sections", type=int, default=200)
    a = ap.parse_args()
    parts = ["# A long learning path", "",
             "Each section is the outline of one note.", ""]
    parts += [section(i) for i in range(1, a.sections + 1)]
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()

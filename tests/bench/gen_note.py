#!/usr/bin/env python3
"""Write a large, realistic note for the benchmarks.

Usage: gen_note.py OUT.md (--bytes N | --lines N)

The note repeats varied sections in the style of real learner notes:
headings, bold pseudo-headings, bullets, code blocks, inline code, prose,
with some statements the offline rules flag and many they must not.
"""
import sys

SECTION = """### Section {i}: stack and heap, part {i}
Data is stored either on the stack or on the heap, chapter {i}.
Each function call gets its own stack frame with space for its locals.

**Stack {i}**
- Stack is a pool of bytes organised into frames.
- When function finishes its execution, the frame is popped.
- Fixed-size values (`i32`, `f64`, `bool`, `char`) can live directly in the frame.

**Heap {i}**
- `Box<T>` allocates on the heap and keeps the pointer in the frame.
- `Vec<T>` stores pointer, length and capacity; the buffer is on the heap.
- Heap deallocation is explicit and deliberate (via `drop`).

```rust
fn main() {{
    let v = vec![1, 2, 3]; // {i}
    let b = Box::new(5);
    println!("{{}} {{}}", v.len(), b);
}}
```

Going out of scope runs the destructors of the values in reverse order
of declaration; the memory of the frame is reused after the function returns.

"""


def main():
    out = sys.argv[1]
    kind, n = sys.argv[2], int(sys.argv[3])
    parts = ["## Rust's memory model\n"]
    size, lines, i = 0, 1, 0
    while (kind == "--bytes" and size < n) or (kind == "--lines" and lines < n):
        s = SECTION.format(i=i)
        parts.append(s)
        size += len(s.encode())
        lines += s.count("\n")
        i += 1
    text = "".join(parts)
    if kind == "--bytes":
        text = text.encode()[: n - 1].decode("utf-8", "ignore")
        text = text[: text.rfind("\n") + 1]
    else:
        text = "".join(text.splitlines(True)[:n])
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()

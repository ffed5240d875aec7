"""Puts one section into BENCHMARKS.md: in place of the section with the same
heading, or (a new one) before the load section. Used by bench/fleet.sh and
bench/page.sh.
Usage: python3 bench/benchmarks_section.py HEADING TEXT_FILE
HEADING is the section's heading line without '## '; TEXT_FILE its body."""
import re
import sys

heading, body = sys.argv[1], open(sys.argv[2]).read()
section = "## " + heading + "\n\n" + body.rstrip("\n") + "\n"
text = open("BENCHMARKS.md").read()
pattern = re.compile(r"## " + re.escape(heading) + r"\n.*?(?=\n## |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text, count=1)
elif "\n## Load" in text:
    head, tail = text.split("\n## Load", 1)
    text = head.rstrip("\n") + "\n\n" + section + "\n## Load" + tail
else:
    text = text.rstrip("\n") + "\n\n" + section
open("BENCHMARKS.md", "w").write(text)

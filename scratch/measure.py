"""Recall of each seed's words in plain `pdftotext` output (no rejoining by us)."""
import subprocess, sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
import test_seed_words as t
from plandocs.render.pipeline import render

out = Path(tempfile.mkdtemp())
paths = [t.PLANS / s.plan for s in t.SEEDS.values()] + [t.PLANS / "odesa/2021-q2.report.yaml"]
res = render(paths, out, ("pdf",))
assert res.ok
for number, seed in sorted(t.SEEDS.items()):
    text = t.seed_text(seed)
    want = t.words(text) - set(seed.excluded)
    pdf = out / Path(seed.plan).with_suffix(".pdf")
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    got = t.words(raw)
    missing = sorted(want - got)
    hy = sum(1 for l in raw.splitlines() if l.endswith(("-", "\u2010")))
    print(f"{number} {seed.plan}: recall {1 - len(missing)/len(want):.4f} ({len(missing)}/{len(want)} missing), lines ending in a hyphen: {hy}")
    print("   ", missing[:25])
seed = t.SEEDS["000"]
raw = subprocess.run(["pdftotext", str(out / "odesa/2021-q2.report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
want = t.words(t.seed_text(seed)); missing = sorted(want - t.words(raw))
print(f"000 report: recall {1 - len(missing)/len(want):.4f} {missing[:25]}")

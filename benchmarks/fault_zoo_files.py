"""Fault injection: a zoo of bad files, each indexed beside good ones by a real archive.

    python -m benchmarks.fault_zoo_files [--timeout 120] [--only NAME,...] [--keep FOLDER]

For every case a fresh folder gets two good articles and the bad file (or
link, pipe, folder...), and a child process indexes it into a new archive
(``Archive.index_folder`` with facts, as ``casefile index`` does) under a
per-case timeout. A case **survived** when the run completed, both good
articles were indexed and the bad one was either indexed or reported as a
problem naming it; it is **lost** when a good article is missing, the bad
one vanished without a word, or the run crashed or hung. Prints one line
per case and the totals (tried / survived / lost).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
GOOD = {
    "good_one.txt": "Court upholds deportation order\n\nAn appeals court in Velgrad upheld the deportation "
                    "order on Wednesday, 14 December 2022, and the lawyers of Teodor Brannik said they would "
                    "appeal to the supreme court.\n",
    "good_two.md": "# Ministry declines to comment\n\nThe interior ministry declined to comment on Friday on "
                   "reports that 40 people were detained at the border near Karvonsk.\n",
}
TEXT = ("An appeals court upheld the deportation order on Wednesday, and his lawyers said they would "
        "appeal to the supreme court. ") * 5

# The child: index FOLDER into ARCHIVE and print what the archive holds as JSON.
# A case may name a folder whose listing fails (root ignores permission bits).
_CHILD = r"""
import json, os, sys
folder, archive_dir, refuse = sys.argv[1], sys.argv[2], sys.argv[3]
if refuse:
    real = os.scandir
    def scandir(path="."):
        if os.fspath(path) == refuse:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)
    os.scandir = scandir
from archive import Archive
with Archive.open(archive_dir) as arc:
    report = arc.index_folder(folder)
    out = {"articles": [a.relpath for a in arc.articles()],
           "problems": [[p.path, p.reason] for p in arc.problems()],
           "notes": [[n.path, n.reason] for n in getattr(report, "notes", [])],
           "cancelled": report.cancelled}
print("ZOO-RESULT " + json.dumps(out))
"""


# ---------------------------------------------------------------- the bad files

def _fpdf(draw=None, encrypt=None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if draw is None:
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, TEXT)
    else:
        draw(pdf)
    if encrypt:
        pdf.set_encryption(**encrypt)
    return bytes(pdf.output())


def _pypdf_encrypted(user: str, owner: str, algorithm: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(_fpdf()))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _content_bomb_pdf(repeat: int) -> bytes:
    """A PDF of ~11 KB whose one page draws megabytes of text operators."""
    import zlib

    content = b"BT /F1 12 Tf 72 720 Td " + b"(court appeal deportation order ) Tj " * repeat + b"ET"
    comp = zlib.compress(content, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _docx(paragraphs=("Court upholds deportation order", TEXT)) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _docx_bomb(repeat: int) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(_docx()))
    buf = io.BytesIO()
    para = "<w:p><w:r><w:t>" + "A" * 1000 + "</w:t></w:r></w:p>"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                s = data.decode()
                i = s.index("<w:body>") + len("<w:body>")
                data = (s[:i] + para * repeat + s[i:]).encode()
            out.writestr(info.filename, data)
    return buf.getvalue()


def _write(name: str, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        (folder / name).write_bytes(data() if callable(data) else data)
        return name
    return make


def _sparse(name: str, size: int) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        with open(folder / name, "wb") as fh:
            fh.truncate(size)
        return name
    return make


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.txt")
    return "pipe.txt"


def _dev_zero(folder: Path) -> str:
    os.symlink("/dev/zero", folder / "zero.txt")
    return "zero.txt"


def _dangling(folder: Path) -> str:
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    return "dangling.txt"


def _loop(folder: Path) -> str:
    os.symlink(folder / "loop_b.txt", folder / "loop_a.txt")
    os.symlink(folder / "loop_a.txt", folder / "loop_b.txt")
    return "loop_a.txt"


def _dir_loop(folder: Path) -> str:
    sub = folder / "sub"
    sub.mkdir()
    os.symlink(folder, sub / "back_to_top")
    (sub / "inside.txt").write_text("Inside report\n\nThe tribunal met on Monday in Velgrad.\n")
    return "sub/inside.txt"


def _folder_named_txt(folder: Path) -> str:
    (folder / "folder.txt").mkdir()
    ((folder / "folder.txt") / "real.txt").write_text("Nested report\n\nThe tribunal met on Monday.\n")
    return "folder.txt/real.txt"


def _bad_name(folder: Path) -> str:
    with open(os.fsencode(str(folder)) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"Report from a cafe\n\nThe mayor said on Tuesday the hearing was delayed.\n")
    return "caf\\xe9.txt"


def _name_clash(folder: Path) -> str:
    _bad_name(folder)
    (folder / "caf\\xe9.txt").write_text("A second report\n\nThe police said on Monday they had arrested two men.\n")
    return "caf\\xe9.txt"


def _unlisted(folder: Path) -> str:
    sub = folder / "locked"
    sub.mkdir()
    (sub / "inside.txt").write_text("Locked report\n\nThe court met on Friday.\n")
    return "locked"


def _deep_html(folder: Path) -> str:
    (folder / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "text" + "</div>" * 100_000 + "</body></html>")
    return "deep.html"


def _random(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.getrandbits(8) for _ in range(n))


def _long_line(mb: float) -> bytes:
    words = TEXT.split()
    rng = random.Random(3)
    out, size = [], 0
    while size < mb * 1_000_000:
        w = rng.choice(words)
        out.append(w)
        size += len(w) + 1
    return " ".join(out).encode()


CASES: list[tuple[str, Callable[[Path], str], str]] = [
    # (name, make(folder) -> the bad file's relpath, refuse-listing folder name or "")
    ("empty .txt", _write("empty.txt", b""), ""),
    ("blank .txt", _write("blank.txt", b" \n\n\t \n"), ""),
    ("binary .txt", _write("binary.txt", lambda: _random(50_000, 1)), ""),
    ("NUL-filled .txt", _write("nul.txt", b"\x00" * 10_000), ""),
    ("truncated UTF-16", _write("utf16.txt", "\ufeffКраткий отчёт о суде".encode("utf-16")[:-1]), ""),
    ("cp1251 text", _write("cp1251.txt", ("Суд в Алматы отклонил апелляцию в среду. " * 10).encode("cp1251")), ""),
    ("mixed invalid UTF-8", _write("mixed.txt", TEXT.encode() + b"\xff\xfe\xc3(" + TEXT.encode()), ""),
    ("text over 32 MiB (sparse)", _sparse("huge.txt", 40 * 1024 * 1024), ""),
    ("PDF over 32 MiB (sparse)", _sparse("huge.pdf", 40 * 1024 * 1024), ""),
    ("2 MB one-line text", _write("oneline.txt", lambda: _long_line(2)), ""),
    ("30 MB text, under the limit", _write("big.txt", lambda: b"\n\n".join(_long_line(0.0006) for _ in range(50_000))), ""),
    ("empty .html", _write("empty.html", b""), ""),
    ("broken HTML", _write("broken.html", b"<html><head><title>x</ti<body><p>unclosed <b><i>" + b"<" * 500), ""),
    ("HTML of scripts only", _write("scripts.html", b"<html><script>var a=1;</script><style>p{}</style></html>"), ""),
    ("deeply nested HTML", _deep_html, ""),
    ("truncated PDF", _write("truncated.pdf", lambda: _fpdf()[:600]), ""),
    ("not a PDF", _write("fake.pdf", TEXT.encode()), ""),
    ("PDF without text layer", _write("scan.pdf", lambda: _fpdf(lambda p: p.rect(20, 20, 100, 60, style="F"))), ""),
    ("PDF needing a password", _write("locked.pdf", lambda: _pypdf_encrypted("user", "owner", "AES-256")), ""),
    ("AES PDF, owner password only", _write("aes_open.pdf", lambda: _pypdf_encrypted("", "owner", "AES-256")), ""),
    ("RC4 PDF, owner password only", _write("rc4_open.pdf", lambda: _fpdf(encrypt={"owner_password": "o"})), ""),
    ("PDF page content bomb", _write("content_bomb.pdf", lambda: _content_bomb_pdf(100_000)), ""),
    ("PDF of random bytes", _write("random.pdf", lambda: b"%PDF-1.7\n" + _random(30_000, 2)), ""),
    ("truncated DOCX", _write("truncated.docx", lambda: _docx()[:1500]), ""),
    ("DOCX that is not a zip", _write("notzip.docx", TEXT.encode()), ""),
    ("zip that is not a DOCX", _write("plainzip.docx", lambda: _zip_of({"readme.txt": b"hello"})), ""),
    ("empty DOCX", _write("empty.docx", lambda: _docx(())), ""),
    ("DOCX zip bomb (part too big)", _write("bomb.docx", lambda: _docx_bomb(40_000)), ""),
    ("DOCX zip bomb (ratio)", _write("dense.docx", lambda: _docx_bomb(10_000)), ""),
    ("named pipe .txt", _fifo, ""),
    ("link to /dev/zero", _dev_zero, ""),
    ("dangling link", _dangling, ""),
    ("link loop", _loop, ""),
    ("folder link loop", _dir_loop, ""),
    ("folder named .txt", _folder_named_txt, ""),
    ("name not UTF-8", _bad_name, ""),
    ("name clash once escaped", _name_clash, ""),
    ("folder that cannot be listed", _unlisted, "locked"),
]


def _zip_of(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


# ---------------------------------------------------------------- running

def _run_case(name, make, refuse, base: Path, timeout: float) -> tuple[bool, str, float]:
    folder = base / "folder"
    folder.mkdir(parents=True)
    for fname, text in GOOD.items():
        (folder / fname).write_text(text, encoding="utf-8")
    bad = make(folder)
    refuse_path = str(folder / refuse) if refuse else ""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    env.setdefault("CASEFILE_DATA_DIR", str(base / "userdata"))
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(base / "archive"), refuse_path],
                              capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return False, f"hung (stopped after {timeout:g} s)", time.perf_counter() - start
    secs = time.perf_counter() - start
    line = next((l for l in proc.stdout.splitlines() if l.startswith("ZOO-RESULT ")), None)
    if proc.returncode != 0 or line is None:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return False, f"crashed (exit {proc.returncode}): {last[:120]}", secs
    out = json.loads(line[len("ZOO-RESULT "):])
    missing = [g for g in GOOD if g not in out["articles"]]
    if missing:
        return False, f"good file lost: {', '.join(missing)}", secs
    if refuse:
        # Articles indexed before are kept; a first run sees nothing inside: reported.
        hits = [r for p, r in out["problems"] if p == str(folder / bad)]
        return (bool(hits), f"reported: {hits[0]}" if hits else "not reported", secs)
    if bad in out["articles"]:
        note = next((r for p, r in out["notes"] if p.endswith(bad)), "")
        return True, "indexed" + (f" ({note})" if note else ""), secs
    shown = str(folder / bad)
    hits = [r for p, r in out["problems"] if p == shown or p.startswith(shown)]
    if hits:
        return True, f"reported: {hits[0]}", secs
    return False, f"vanished: neither indexed nor reported (problems: {out['problems'][:2]})", secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case before it counts as hung")
    parser.add_argument("--only", default="", help="comma-separated substrings of case names to run")
    parser.add_argument("--keep", type=Path, default=None, help="keep each case's folder and archive here")
    args = parser.parse_args()
    wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]
    cases = [c for c in CASES if not wanted or any(w in c[0].lower() for w in wanted)]
    root = args.keep or Path(tempfile.mkdtemp(prefix="casefile-zoo-"))
    tried = survived = 0
    lost: list[str] = []
    print(f"{'case':<32} {'result':<9} {'s':>6}  detail")
    try:
        for i, (name, make, refuse) in enumerate(cases):
            if name.startswith(("named pipe",)) and not hasattr(os, "mkfifo"):
                continue
            if "/dev/zero" in name and not os.path.exists("/dev/zero"):
                continue
            tried += 1
            ok, detail, secs = _run_case(name, make, refuse, root / f"case{i:02d}", args.timeout)
            survived += ok
            if not ok:
                lost.append(name)
            print(f"{name:<32} {'survived' if ok else 'LOST':<9} {secs:>6.1f}  {detail[:150]}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\ntried {tried}, survived {survived}, lost {len(lost)}" + (f": {', '.join(lost)}" if lost else ""))


if __name__ == "__main__":
    main()

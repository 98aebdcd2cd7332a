"""Build the binary articles of the demo archive (one PDF, one DOCX).

The demo archive in ``resources/demo/`` is meant to show every format Casefile
reads. Text formats are committed as written; the PDF and the DOCX are built
here from the text below so that they can be reviewed in a diff and rebuilt
byte for byte::

    python packaging/build_demo_documents.py            # writes into resources/demo/
    python packaging/build_demo_documents.py --out DIR  # writes somewhere else
    python packaging/build_demo_documents.py --check    # fails if the committed files are stale

Both files are reproducible: the PDF gets a fixed creation date (fpdf2 derives
its file id from the content and that date) and the DOCX is re-zipped with fixed
member timestamps, because python-docx stamps each member with the current time.

The case, the people, the places and the outlets are invented.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import io
import sys
import zipfile
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"

PDF_NAME = "06-meridian-monitor-detention-extended.pdf"
DOCX_NAME = "07-velgrad-free-press-interview.docx"

# --- 06: a magazine page saved as PDF ---------------------------------------
# The PDF uses the core font Helvetica, which needs no font file but only
# covers Latin-1: hence plain hyphens and straight quotes in this text.

PDF_TITLE = "Court keeps Brannik in detention as extradition case opens"
PDF_AUTHOR = "Aurel Dunmore"
PDF_OUTLET = "Meridian Monitor"
PDF_CREATED = _dt.datetime(2025, 3, 19, 11, 30, tzinfo=_dt.timezone.utc)
PDF_DATELINE = "Meridian Monitor | 19 March 2025 | By Aurel Dunmore"
PDF_PARAGRAPHS = (
    "HARBOURTON - A judge on Tuesday refused to release Teodor Brannik, the "
    "security officer whose extradition Velgrad is seeking, and extended his "
    "detention until late April, rejecting his lawyers' request that he be "
    "allowed to wait for the decision at home with his family.",

    "Judge Marek Oddvar of the Harbourton District Court said Brannik, who had "
    "already tried to leave the country once, \"could disappear again\". The "
    "hearing lasted less than an hour. Brannik, in a grey sweater, followed it "
    "through an interpreter and did not speak.",

    "Two weeks ago Brannik walked out of a courtroom in Salvik a free man, "
    "having been given a six-month suspended sentence for crossing the border "
    "illegally. Karvonia has since put him on its wanted list and requested "
    "his extradition on charges of desertion and illegal border crossing.",

    "\"My client came to Lessaria to ask for protection, not to hide,\" Petra "
    "Vallin, his lawyer, told the court. She said the family had bought plane "
    "tickets \"openly, in his own name\", which showed that he was not trying "
    "to escape justice.",

    "The prosecutor, Ilse Varga, said Lessaria had obligations under a 1998 "
    "treaty with Karvonia and could not \"pick and choose which requests to "
    "read\".",

    "His appeal against the refusal of his asylum claim goes before the "
    "Harbourton Court of Appeal on 26 March. His wife, Mira Brannik, said "
    "that since Friday she had not been allowed to visit him at the Greyfield "
    "Detention Centre.",

    "\"The children ask every day when papa is coming home,\" she said outside "
    "the court.",

    "Rights groups have urged the government of Lessaria to refuse the "
    "extradition outright. The Harbourton Refugee Law Centre said that "
    "sending Brannik back \"to a country that has already charged him with "
    "desertion\" would breach the ban on sending people back to persecution. "
    "The National Migration Agency, which refused his asylum claim, declined to comment.",
)
PDF_TAIL = (
    "Meridian Monitor is published weekly. Subscribe at meridian-monitor.example "
    "| Letters to the editor | Corrections policy"
)

# --- 07: an interview sent as a Word document -------------------------------

DOCX_TITLE = "Mira Brannik: \u201cThey want to make an example of him\u201d"
DOCX_AUTHOR = "Danel Ostrova"
DOCX_CREATED = _dt.datetime(2025, 3, 27, 9, 0, tzinfo=_dt.timezone.utc)
DOCX_DATELINE = "Velgrad Free Press \u2022 27 March 2025 \u2022 Interview by Danel Ostrova"
DOCX_INTRO = (
    "A court in Harbourton on Wednesday postponed the hearing of Teodor "
    "Brannik\u2019s appeal against the refusal of his asylum claim until "
    "9 April, after the National Migration Agency asked for more time to file "
    "documents. His wife, Mira Brannik, 33, spoke to the Velgrad Free Press by "
    "video from Salvik. The interview has been edited for length."
)
DOCX_QA = (
    ("When did you decide to leave?",
     "\u201cThe night the decree was read on television. Teodor said: if they "
     "send me anywhere, I will not go. He had already asked to leave the "
     "service in January, and they laughed at him. Five days after the decree "
     "was announced we were at the border.\u201d"),
    ("Why did he not cross with you?",
     "\u201cOfficers of the SPB cannot pass through a checkpoint, their names "
     "are on a list. So he went through the forest. He was detained almost at "
     "once, and I was nearly glad: at least he was out of reach of our "
     "side.\u201d"),
    ("At home he is accused of desertion. What do you say to that?",
     "\u201cHe never took an oath to fight. He is a radio engineer. The "
     "criminal case was opened on 24 February, when we were already here, and "
     "now they say he could get fifteen years. Friends in Velgrad tell us "
     "officers came to his mother\u2019s flat twice last month.\u201d"),
    ("How is he now?",
     "\u201cHe has lost weight. At Greyfield they let me visit for twenty "
     "minutes at a time. The last time, on Sunday, he said: whatever happens, "
     "do not come back to Karvonia.\u201d"),
    ("What do you expect from the court?",
     "\u201cOur lawyer, Petra Vallin, says the law is on our side: he cannot be "
     "sent back while the appeal is open. But the court in Salvik also said he "
     "was free, and then they took him at the airport. I no longer believe in "
     "promises.\u201d"),
)
DOCX_CLOSING = (
    "The Prosecutor General\u2019s Office in Velgrad did not answer questions "
    "sent by the Velgrad Free Press. The Interior Ministry in Harbourton said "
    "the extradition request was \u201cunder review\u201d."
)

# Fixed timestamp for every member of the DOCX zip (see the module docstring).
_ZIP_TIME = (2025, 3, 27, 9, 0, 0)


class BuildError(Exception):
    """A demo document could not be built; the message names the file."""


def build_pdf(path: Path) -> Path:
    """Write the Meridian Monitor article as a one-column A4 PDF."""
    from fpdf import FPDF

    text_parts = (PDF_TITLE, PDF_DATELINE, *PDF_PARAGRAPHS, PDF_TAIL)
    for part in text_parts:
        try:
            part.encode("latin-1")
        except UnicodeEncodeError as err:
            raise BuildError(
                f"{path.name}: the text has a character the core font cannot show "
                f"({part[err.start:err.end]!r} in {part[:40]!r}...)") from None

    pdf = FPDF(format="A4")
    pdf.set_title(PDF_TITLE)
    pdf.set_author(PDF_AUTHOR)
    pdf.set_subject(PDF_OUTLET)
    pdf.set_creator("Casefile demo builder")
    pdf.set_creation_date(PDF_CREATED)
    pdf.set_lang("en")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 8.5, PDF_TITLE, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 9.5)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 5, PDF_DATELINE, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "", 11)
    for paragraph in PDF_PARAGRAPHS:
        pdf.multi_cell(0, 5.6, paragraph, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 4.5, PDF_TAIL, align="L", new_x="LMARGIN", new_y="NEXT")

    path.write_bytes(bytes(pdf.output()))
    return path


def build_docx(path: Path) -> Path:
    """Write the Velgrad Free Press interview as a Word document."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    props = doc.core_properties
    props.title = DOCX_TITLE
    props.author = DOCX_AUTHOR
    props.last_modified_by = DOCX_AUTHOR
    props.created = DOCX_CREATED.replace(tzinfo=None)
    props.modified = DOCX_CREATED.replace(tzinfo=None)
    props.revision = 1
    props.language = "en-GB"

    doc.add_heading(DOCX_TITLE, level=1)
    dateline = doc.add_paragraph()
    run = dateline.add_run(DOCX_DATELINE)
    run.italic = True
    run.font.size = Pt(9)
    intro = doc.add_paragraph()
    intro.add_run(DOCX_INTRO).bold = True
    for question, answer in DOCX_QA:
        doc.add_paragraph().add_run(question).bold = True
        doc.add_paragraph(answer)
    doc.add_paragraph(DOCX_CLOSING)

    raw = io.BytesIO()
    doc.save(raw)
    path.write_bytes(_with_fixed_zip_times(raw.getvalue()))
    return path


def _with_fixed_zip_times(data: bytes) -> bytes:
    """Re-zip ``data`` with every member stamped ``_ZIP_TIME``, order kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build_all(out_dir: Path) -> list[Path]:
    """Build both documents into ``out_dir`` and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [build_pdf(out_dir / PDF_NAME), build_docx(out_dir / DOCX_NAME)]


def _check(committed_dir: Path) -> list[str]:
    """Names of committed documents that differ from a fresh build."""
    import tempfile

    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for built in build_all(Path(tmp)):
            committed = committed_dir / built.name
            if not committed.is_file() or committed.read_bytes() != built.read_bytes():
                stale.append(built.name)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO_DIR,
                        help="folder to write into (default: resources/demo)")
    parser.add_argument("--check", action="store_true",
                        help="only report whether the files in --out are up to date")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = _check(args.out)
            for name in stale:
                print(f"{args.out / name}: out of date; run this script to rebuild it")
            return 1 if stale else 0
        for path in build_all(args.out):
            print(f"wrote {path}")
    except (BuildError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except ImportError as err:
        print(f"error: {err.name} is needed to build the demo documents; "
              "install the project's dependencies first", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

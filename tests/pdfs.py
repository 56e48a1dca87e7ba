"""Builders for the test PDFs: agreements that look like real ones, and broken files.

Built with fpdf2 at test time into a temporary folder; never written to raw/ (the dataset holds
only real sources). Core fonts only cover Latin-1, so text with ligatures needs DejaVu Sans.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from fpdf import FPDF

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

ABA_PARTIES = ("The American Bar Association Section of Criminal Justice (SCJ)",
               "the International Association of Prosecutors (IAP)")


class _Doc(FPDF):
    """An A4 document with a running header and a page footer, like a signed agreement."""

    running_header = ""

    def header(self) -> None:
        if self.running_header:
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, self.running_header, align="C")
            self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def _para(pdf: FPDF, text: str, size: int = 11, style: str = "") -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, 6, text)
    pdf.ln(3)


def agreement_pdf(path: Path, *, kind_title: str = "AGREEMENT TO COOPERATE",
                  parties: tuple[str, str] = ABA_PARTIES, signed: str = "7 March 2014",
                  place: str = "Chicago", effective: str = "1 April 2014",
                  faux_bold_title: bool = True, two_columns: bool = True) -> Path:
    """A cooperation agreement: title, parties, recitals, articles, two-column page, signatures."""
    pdf = _Doc()
    pdf.running_header = "ABA Section of Criminal Justice - IAP"
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    y = pdf.get_y() + 6
    pdf.text(40, y, kind_title)
    if faux_bold_title:  # the title drawn twice, 0.3 pt apart: faux bold
        pdf.text(40.3, y, kind_title)
    pdf.set_y(y + 10)
    _para(pdf, f"between {parties[0]} and {parties[1]}")
    _para(pdf, "WHEREAS the Section of Criminal Justice, founded in 1920, brings together "
               "prosecutors, defence lawyers and judges;")
    _para(pdf, "WHEREAS the IAP, established in 1995, is the only world organisation of "
               "prosecutors;")
    _para(pdf, "The Parties have agreed as follows:")
    _para(pdf, "Article 1 - Purpose", style="B")
    _para(pdf, "The Parties shall cooperate to promote the rule of law and the fair, effective, "
               "impartial and efficient prosecution of criminal offences.")
    pdf.add_page()
    if two_columns:
        _columns(pdf)
    else:
        _para(pdf, "Article 2 - Exchange of information", style="B")
    _para(pdf, "Article 4 - Entry into force", style="B")
    _para(pdf, f"This Agreement shall enter into force on {effective}.")
    _para(pdf, f"Signed at {place} on {signed}, in two originals in English.")
    _para(pdf, "For the SCJ: Chair of the Section          For the IAP: President")
    pdf.output(str(path))
    return path


def _columns(pdf: FPDF) -> None:
    """Articles 2 and 3 side by side in two columns."""
    top = pdf.get_y()
    pdf.set_font("Helvetica", "", 10)
    left = ("Article 2 - Exchange of information. The Parties shall exchange publications, "
            "reports and information on their activities of common interest, and keep each "
            "other informed of their work in the field of criminal justice.")
    right = ("Article 3 - Meetings. Each Party may invite the other to its conferences, "
             "seminars and meetings, at its own cost, and the Parties shall meet at least "
             "once a year to review this Agreement.")
    pdf.set_xy(10, top)
    pdf.multi_cell(85, 5, left)
    bottom = pdf.get_y()
    pdf.set_xy(115, top)
    pdf.multi_cell(85, 5, right)
    pdf.set_y(max(bottom, pdf.get_y()) + 6)


def mou_pdf(path: Path, *, signed: str = "June 2012") -> Path:
    """A memorandum of understanding signed at month precision."""
    pdf = _Doc()
    pdf.add_page()
    _para(pdf, "MEMORANDUM OF UNDERSTANDING", size=18, style="B")
    _para(pdf, "between The COMNET Foundation for ICT Development and The Global Prosecutors "
               "E-Crime Network (GPEN) of the IAP")
    _para(pdf, "The participants intend to cooperate on training in cybercrime matters. "
               "Reference 1340000000 is an internal file number, not a date.")
    _para(pdf, f"Signed in London in {signed}.")
    pdf.output(str(path))
    return path


def ligature_pdf(path: Path) -> Path:
    """An agreement whose text uses ligature characters (needs DejaVu Sans)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.set_font("DejaVu", "", 16)
    pdf.multi_cell(0, 8, "O\ufb03cial Agreement", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, "between the Of\ufb01ce of the Prosecutor and the International "
                         "Association of Prosecutors. Signed at Geneva on 2 May 2016.")
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path) -> Path:
    """A page with only drawings (a scan has an image and no text layer)."""
    pdf = FPDF()
    pdf.add_page()
    for i in range(20):
        pdf.rect(20, 20 + i * 10, 170, 4, style="F")
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path) -> Path:
    """A PDF that needs a user password to open."""
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    _para(pdf, "Confidential agreement")
    pdf.output(str(path))
    return path


def many_pages_pdf(path: Path, pages: int) -> Path:
    pdf = FPDF()
    for i in range(pages):
        pdf.add_page()
        _para(pdf, f"Annex page {i + 1}")
    pdf.output(str(path))
    return path


def truncated_pdf(path: Path, source: Path) -> Path:
    """The first half of a good PDF, as a broken download leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def html_as_pdf(path: Path) -> Path:
    """What a server sends for a missing file, saved under a .pdf name."""
    path.write_bytes(b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n")
    return path


def bomb_pdf(path: Path, decoded_mb: int = 400, layers: int = 1) -> Path:
    """A one-page PDF whose content stream is ~1 MB compressed and `decoded_mb` MB decoded;
    `layers` Flate filters deep (/Filter [/FlateDecode /FlateDecode] for 2)."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(comp.compress(chunk) for _ in range(decoded_mb)) + comp.flush()
    for _ in range(layers - 1):
        stream = zlib.compress(stream, 9)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path

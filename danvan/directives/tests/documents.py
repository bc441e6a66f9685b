"""Test documents made in the test: .docx in the State and Party layouts (python-docx)
and a one-page PDF written by hand, its text extractable through a ToUnicode map."""

from __future__ import annotations

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def state_docx(
    *,
    number: str = "Số: 15/QĐ-UBND",
    type_line: str = "QUYẾT ĐỊNH",
    excerpt: tuple[str, ...] = ("Về việc ban hành Quy chế dân chủ ở cơ sở", "trên địa bàn tỉnh"),
) -> bytes:
    """Decree 30/2020 Appendix I: issuing body and number left, title and date right."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("TỈNH THÁI NGUYÊN")
    left.add_paragraph("_______")
    left.add_paragraph(number)
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Thái Nguyên, ngày 08 tháng 3 năm 2017")
    document.add_paragraph(type_line)
    for line in excerpt:
        document.add_paragraph(line)
    document.add_paragraph("______")
    document.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def party_docx() -> bytes:
    """The Party layout: superior body, issuing body, "*", "Số 20-KH/TU" with no colon."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    left.add_paragraph("TỈNH ỦY")
    left.add_paragraph("*")
    left.add_paragraph("Số 20-KH/TU")
    right.paragraphs[0].text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    right.add_paragraph("Thái Nguyên, ngày 12 tháng 8 năm 2016")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("thực hiện phong trào thi đua “Dân vận khéo”")
    document.add_paragraph("-----")
    document.add_paragraph("Thực hiện Kế hoạch số 771-KH/BDVTƯ của Ban Dân vận Trung ương,")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _hex(text: str) -> str:
    return "".join(f"{ord(ch):04X}" for ch in text)


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is *lines*: a Type0 font whose two-byte codes are the
    characters' code points, mapped back by a ToUnicode CMap (no glyphs are needed to
    extract text, so no font is embedded)."""
    chars = sorted({ch for line in lines for ch in line})
    bfchar = "\n".join(f"<{ord(ch):04X}> <{ord(ch):04X}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    body = (
        "BT /F1 12 Tf 14 TL 60 800 Td\n"
        + "\n".join(f"<{_hex(line)}> Tj T*" for line in lines)
        + "\nET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(body.encode())} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /Demo /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Demo /CIDSystemInfo "
        "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R "
        "/DW 500 >>",
        f"<< /Length {len(cmap.encode())} >>\nstream\n{cmap}\nendstream",
        "<< /Type /FontDescriptor /FontName /Demo /Flags 32 /FontBBox [0 -200 1000 800] "
        "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


STATE_PDF_LINES = [
    "ỦY BAN NHÂN DÂN",
    "XÃ ĐỒNG HỶ",
    "Số: 123/UBND-VP",
    "V/v đôn đốc thực hiện Kế hoạch dân vận năm 2026",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Đồng Hỷ, ngày 05 tháng 01 năm 2026",
    "Kính gửi: Các thôn, tổ dân phố",
]


def upload(name: str, content: bytes, content_type: str = DOCX_TYPE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)

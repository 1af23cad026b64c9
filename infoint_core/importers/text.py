"""Bytes to text for CSV-like files: the encodings Excel and LinkedIn produce."""

from __future__ import annotations

import codecs
import csv
import io
import itertools

from infoint_core.errors import ParseError

# Message bodies and notes can be long; the csv module's default cap is 128 KiB a field.
csv.field_size_limit(16 * 1024 * 1024)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"),
    or Windows-1252 (Excel's "CSV" on Western Windows).

    Raises ParseError for data that is not text at all (NUL bytes outside UTF-16).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise ParseError(f"the file says it is {encoding} but is not: {e.reason}") from e
    if _looks_like_bomless_utf16(data):
        return data.decode("utf-16-le", errors="strict")
    if b"\x00" in data:
        raise ParseError("this is not a text file (it holds binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise ParseError("the text encoding is neither UTF-8, UTF-16 nor Windows-1252") from e


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:2000]
    if len(sample) < 4:
        return False
    odd_nuls = sample[1::2].count(0)
    return odd_nuls > len(sample) // 4 and sample[0::2].count(0) == 0


def sniff_delimiter(text: str) -> str:
    """The field delimiter of a delimited text: comma, semicolon or tab."""
    # Only the first lines: splitting a whole 100,000-line file to look at 50 is waste.
    lines = itertools.islice(io.StringIO(text, newline=None), 50)
    sample = "\n".join(line.rstrip("\n") for line in lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        return max(counts, key=counts.__getitem__)


def count_records(text: str, stop_after: int) -> int:
    """How many records ``text`` holds (a quoted field may span lines), counting no
    further than ``stop_after + 1``, so a huge file costs no more than the limit.

    Raises ParseError for text that is not valid delimited text.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return sum(1 for _ in itertools.islice(reader, stop_after + 1))
    except csv.Error as e:
        raise ParseError(f"the file is not valid delimited text: {e}") from e


def widest_record(text: str, records: int) -> int:
    """The most fields in any of the first ``records`` records (delimiter sniffed).

    Raises ParseError for text that is not valid delimited text.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        return max((len(row) for row in itertools.islice(reader, records)), default=0)
    except csv.Error as e:
        raise ParseError(f"the file is not valid delimited text: {e}") from e


def read_rows(text: str, delimiter: str = ",") -> list[list[str]]:
    """Split delimited text into rows of fields (quoted fields may span lines)."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise ParseError(f"the file is not valid delimited text: {e}") from e

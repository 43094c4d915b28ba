"""The output line's JSON text (marsad.lines.dumps: compiled, ``_lines.pyx``) is
``json.dumps(obj, ensure_ascii=False)``'s, character for character; ``marsad extract`` writes
the same bytes as before with it."""

from __future__ import annotations

import json
import math
import random

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.lines import dumps, dumps_line, dumps_line_py, dumps_py, fast

needs_fast = pytest.mark.skipif(fast is None, reason="the compiled driver module (marsad/_lines.pyx) is not built")

# quotes, backslashes, every control character, DEL, Arabic, a BOM, a lone surrogate, emoji
_CHARS = [chr(c) for c in range(0x30)] + list('\\"/') + ["\x7f", "\x80", "ق", "ـ", "\ufeff", "\ud800",
                                                        "\U0001F600", "\U0010FFFF", "a"]
_FLOATS = [0.0, -0.0, 0.1, 1 / 3, 1e16, 1e-7, 1e308, 5e-324, 2.5, 33.51, 36.7, math.inf, -math.inf, math.nan]
_INTS = [0, 1, -1, 7, 2 ** 63 - 1, -2 ** 63, 2 ** 63, -2 ** 63 - 1, 10 ** 30, -10 ** 30]


def _random_value(rng: random.Random, depth: int = 0):
    r = rng.randrange(10 if depth < 4 else 6)
    if r == 0:
        return "".join(rng.choice(_CHARS) for _ in range(rng.randrange(6)))
    if r == 1:
        return rng.choice([None, True, False])
    if r == 2:
        return rng.choice(_INTS + [rng.randrange(-10 ** 6, 10 ** 6)])
    if r == 3:
        return rng.choice(_FLOATS + [rng.uniform(-200, 200), round(rng.uniform(0, 1), 2)])
    if r in (4, 5):
        return rng.choice(["قصف", "", "حمص - الخالدية", 3, 4.5])
    if r in (6, 7):
        return {"".join(rng.choice(_CHARS) for _ in range(rng.randrange(4))): _random_value(rng, depth + 1)
                for _ in range(rng.randrange(4))}
    if r == 8:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return tuple(_random_value(rng, depth + 1) for _ in range(rng.randrange(3)))


@needs_fast
def test_the_same_text_as_json_dumps():
    rng = random.Random(111)
    for _ in range(20_000):
        obj = _random_value(rng)
        assert fast.dumps(obj) == json.dumps(obj, ensure_ascii=False), repr(obj)


@needs_fast
def test_ascii_texts_written_eight_at_a_time_are_escaped_as_json_does():
    # every character below 0x80 at every place of ASCII texts up to 40 long (the eight-at-a-time
    # loop's blocks, its rest, a block after a plain one), then long texts with rare escapes
    for n in range(41):
        base = "".join(chr(0x20 + (i * 7) % 95) for i in range(n)).replace('"', "a").replace("\\", "b")
        assert fast.dumps(base) == json.dumps(base, ensure_ascii=False)
        for i in range(n):
            for c in range(0x80):
                text = base[:i] + chr(c) + base[i + 1:]
                assert fast.dumps(text) == json.dumps(text, ensure_ascii=False), repr(text)
                assert fast.dumps({text: text}) == json.dumps({text: text}, ensure_ascii=False)
    rng = random.Random(172)
    pool = [chr(c) for c in range(0x20, 0x80)] * 40 + [chr(c) for c in range(0x20)] + ['"', "\\"]
    for _ in range(3_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(200)))
        assert text.isascii()
        assert fast.dumps_line([text, text[1:]]) == dumps_line_py([text, text[1:]])


@needs_fast
def test_keys_remembered_by_object_are_written_as_json_does():
    # a key's text is remembered by the key object: keys made anew each time (freed, their
    # addresses taken by other keys), more keys than the table's slots, texts around the slot's
    # length (escapes, 2- and 3-byte characters), a lone surrogate (never remembered)
    rng = random.Random(181)
    pool = list("abcxyz_") * 6 + ['"', "\\", "\n", "\x01", "ق", "é", "\u20ac"]
    literal = {"start": 1, "end": 2, "field": "x", "text": "قصف"}
    for n in range(6_000):
        key = "".join(rng.choice(pool) for _ in range(rng.randrange(48)))
        obj = {key: n, "start": [literal, {key + "": None}], str(n % 1500): {"k" * (n % 45): n}}
        assert fast.dumps(obj) == json.dumps(obj, ensure_ascii=False), repr(obj)
        assert fast.dumps_line(obj) == dumps_line_py(obj)
    bad = {"a\ud800": 1}
    for _ in range(2):
        with pytest.raises(UnicodeEncodeError):
            fast.dumps_line(bad)
        assert fast.dumps(bad) == json.dumps(bad, ensure_ascii=False)


@needs_fast
def test_str_values_remembered_by_object_are_written_as_json_does():
    # a str value's text is remembered by the object, as a key's is: values made anew each time
    # (freed, their addresses taken by others), kept ones written again, more values than the
    # table's slots, texts around the slot's length (escapes, 2-, 3- and 4-byte characters), a
    # lone surrogate (never remembered: the same error each time)
    rng = random.Random(191)
    pool = list("abc xyz_") * 6 + ['"', "\\", "\n", "\x01", "ق", "é", "\u20ac", "\U0001F600"]
    kept = ["".join(rng.choice(pool) for _ in range(rng.randrange(30))) for _ in range(3_000)]
    for n in range(6_000):
        value = "".join(rng.choice(pool) for _ in range(rng.randrange(52)))
        obj = {"a": value, "b": [rng.choice(kept), value, (rng.choice(kept), "x" * (n % 50))],
               "c": {"d": rng.choice(kept)}}
        assert fast.dumps(obj) == json.dumps(obj, ensure_ascii=False), repr(obj)
        assert fast.dumps_line(obj) == dumps_line_py(obj)
    bad = ["\ud800", {"a": "x\udfff"}]
    for _ in range(2):
        for obj in (bad, bad[1]):
            with pytest.raises(UnicodeEncodeError):
                fast.dumps_line(obj)
            assert fast.dumps(obj) == json.dumps(obj, ensure_ascii=False)


@needs_fast
def test_two_byte_texts_written_four_at_a_time_are_utf8_as_json_writes_it():
    # a 2-byte text's characters in U+0080-07FF are encoded four at a time: runs of them broken
    # by ASCII (escaped or not), 3-byte characters and surrogates at every position
    rng = random.Random(1912)
    edges = ["\x80", "\u07ff", "\u0600", "\u06ff", "\u0627", "\u0800", "\uffff", "\ufeff", "\x7f",
             " ", '"', "\\", "\n", "\x1f", "a"]
    for _ in range(20_000):
        text = "".join(rng.choice(edges) if rng.random() < 0.3 else chr(rng.randrange(0x600, 0x700))
                       for _ in range(rng.randrange(1, 24)))
        if rng.random() < 0.05:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice("\ud800\udbff\udc00\udfff") + text[at:]
        obj = [text, {"t": text}]
        assert fast.dumps(obj) == json.dumps(obj, ensure_ascii=False), repr(text)
        try:
            want = dumps_line_py(obj)
        except UnicodeEncodeError:
            with pytest.raises(UnicodeEncodeError):
                fast.dumps_line(obj)
        else:
            assert fast.dumps_line(obj) == want


@needs_fast
def test_ints_written_two_digits_at_a_time_are_their_repr():
    values = [0, 9, 10, 99, 100, 101, 999, 1000, 12345, 2 ** 63 - 1, -2 ** 63, 2 ** 63, -2 ** 63 - 1]
    values += [s * 10 ** k + d for s in (1, -1) for k in range(20) for d in (-1, 0, 1)]
    rng = random.Random(19)
    values += [rng.randrange(-10 ** rng.randrange(1, 25), 10 ** rng.randrange(1, 25)) for _ in range(5_000)]
    for v in values:
        obj = {"n": v, "l": [v, v]}
        assert fast.dumps_line(obj) == dumps_line_py(obj), v


def test_control_bytes_are_counted_as_the_translation_counts_them():
    """``lines.control_bytes`` (eight bytes at a time when compiled) is ``control_bytes_py``'s
    count: heads of every length around the eight-byte words, control bytes at every place,
    Arabic UTF-8, bytes and bytearray."""
    from marsad.lines import control_bytes, control_bytes_py

    rng = random.Random(16)
    for _ in range(20_000):
        head = bytes(rng.choice((rng.randrange(256), rng.randrange(34), 0x41, 0xD8, 0x20, 0x0A))
                     for _ in range(rng.randrange(40)))
        want = control_bytes_py(head)
        assert control_bytes(head) == want, head
        assert control_bytes(bytearray(head)) == want
    assert control_bytes(bytes(range(256)) * 3) == 3 * (9 + 18)


@needs_fast
def test_what_it_does_not_write_itself_json_answers():
    class Sub(dict):
        pass

    deep: list = []
    cur = deep
    for _ in range(300):            # deeper than the writer goes: json.dumps writes it
        cur.append([])
        cur = cur[0]
    for obj in ({1: "a"}, {None: 1, "x": [2]}, {"a": {1.5: True}}, Sub(a=1), [Sub(b=[1])], deep,
                {"a": [1, {"b": (True, None)}]}, 1.0, "x", None, [], {}):
        assert fast.dumps(obj) == json.dumps(obj, ensure_ascii=False)
    circular: list = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        fast.dumps(circular)
    with pytest.raises(TypeError, match="not JSON serializable"):
        fast.dumps({"a": [object()]})


@needs_fast
def test_the_line_is_json_dumps_text_and_a_newline_in_utf8():
    """dumps_line writes UTF-8 itself: the bytes of json.dumps' text and a newline, or the
    UnicodeEncodeError that encoding gives (a lone surrogate)."""
    rng = random.Random(134)
    surrogates = 0
    for _ in range(20_000):
        obj = _random_value(rng)
        try:
            want = dumps_line_py(obj)
        except UnicodeEncodeError as e:
            surrogates += 1
            with pytest.raises(UnicodeEncodeError) as got:
                fast.dumps_line(obj)
            assert str(got.value) == str(e)
            continue
        assert fast.dumps_line(obj) == want, repr(obj)
    assert surrogates > 100
    # every width of string: ASCII, Latin-1, the BMP (Arabic), beyond it
    for text in ["abc", "é\x80\xff", "قصف حمص", "\u0800\uffff", "\U00010000\U0010ffff", "a\"\\\x00\x1f"]:
        assert fast.dumps_line({"t": text}) == dumps_line_py({"t": text})


@needs_fast
def test_a_float_written_again_is_the_same_repr():
    """Floats are written from a table of the reprs already made (by their bits): the same text
    as float.__repr__ for values met again, values sharing a slot, -0.0 beside 0.0."""
    rng = random.Random(5)
    values = [rng.uniform(-180, 180) for _ in range(3000)] + [round(rng.uniform(-90, 90), 5) for _ in range(3000)]
    values += [0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308, 1e16, 1e-7, 123456789012345678.0, 0.1, 1 / 3]
    for _ in range(5):
        rng.shuffle(values)
        assert fast.dumps(values) == json.dumps(values)
        assert fast.dumps_line(values) == (json.dumps(values) + "\n").encode()


def test_dumps_is_the_twin_when_not_compiled():
    obj = {"id": "x", "events": [{"location": "حمص", "latitude": 34.73, "fatalities": 3}], "n": None}
    assert dumps(obj) == dumps_py(obj) == json.dumps(obj, ensure_ascii=False)
    assert dumps_line(obj) == dumps_line_py(obj) == (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")


_REPORT = ("حمص - قتل ثلاثة مدنيين وأصيب خمسة آخرون يوم الثلاثاء في قصف لقوات النظام على حي الخالدية "
           "في مدينة حمص، بحسب المرصد السوري لحقوق الإنسان.")


def test_extract_writes_the_lines_json_dumps_writes(tmp_path):
    records = [{"id": "r1", "text": _REPORT, "published": "2015-08-04"},
               {"id": "r2", "text": "hello world, no Arabic here"},
               {"id": "r\"3\\", "text": _REPORT + "\n\t«اقتباس»", "published": "2015-08-05"}]
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + "not json\n",
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["extract", "--input", str(inp), "--output", str(out), "--no-progress"])
    assert res.exit_code == 2, res.output        # the English record and the broken line
    raw = out.read_bytes()
    lines = raw.decode("utf-8").splitlines(keepends=True)
    assert len(lines) == 4 and all(line.endswith("\n") for line in lines)
    assert b"\r" not in raw
    for line in lines:       # each line is json.dumps' own text of what it holds
        assert line == json.dumps(json.loads(line), ensure_ascii=False) + "\n"
    first = json.loads(lines[0])
    assert first["id"] == "r1" and first["events"], first
    assert json.loads(lines[2])["id"] == "r\"3\\"
    # the same lines on standard output
    res = CliRunner().invoke(main, ["extract", "--input", str(inp), "--no-progress"])
    assert res.stdout == raw.decode("utf-8")


def test_standard_output_gets_the_text_paths_bytes(tmp_path, monkeypatch):
    """`marsad extract` to a UTF-8 standard output writes dumps_line's bytes to its byte stream;
    they are those of the text path (dumps, its check, the text stream's encoding)."""
    import marsad.cli as cli

    records = [{"id": "r1", "text": _REPORT, "published": "2015-08-04"},
               {"id": "r\ud800", "text": _REPORT},                 # an id UTF-8 cannot hold
               {"id": "r3", "text": _REPORT + "\n\t«اقتباس» \x01"}]
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in records) + "not json\n", encoding="utf-8")
    chosen = []
    real = cli._utf8_stdout
    monkeypatch.setattr(cli, "_utf8_stdout", lambda: chosen.append(real()) or chosen[-1])
    as_bytes = CliRunner().invoke(main, ["extract", "--input", str(inp), "--no-progress"])
    assert chosen and chosen[0] is not None          # the byte stream was written
    monkeypatch.setattr(cli, "_utf8_stdout", lambda: None)
    as_text = CliRunner().invoke(main, ["extract", "--input", str(inp), "--no-progress"])
    assert as_bytes.exit_code == as_text.exit_code == 2, as_bytes.output
    assert as_bytes.stdout_bytes == as_text.stdout_bytes
    lines = as_bytes.stdout_bytes.decode("utf-8").splitlines(keepends=True)
    assert len(lines) == 4 and json.loads(lines[0])["events"]
    for line in lines:
        assert line == json.dumps(json.loads(line), ensure_ascii=False) + "\n"


@pytest.mark.parametrize("encoding, line_buffering, newline, byte_stream", [
    ("utf-8", False, None, True), ("UTF8", False, None, True), ("utf_8", False, "\n", True),
    ("latin-1", False, None, False), ("utf-16", False, None, False), ("utf-8", True, None, False)])
def test_standard_output_as_bytes_only_when_its_text_would_be_utf8(monkeypatch, encoding, line_buffering,
                                                                  newline, byte_stream):
    import io

    import marsad.cli as cli

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, line_buffering=line_buffering, newline=newline)
    out.write("x")                     # written before: flushed to the bytes first
    monkeypatch.setattr("sys.stdout", out)
    got = cli._utf8_stdout()
    assert (got is raw) == byte_stream and (got is None) != byte_stream
    if byte_stream:
        assert raw.getvalue() == b"x"
    monkeypatch.setattr("sys.stdout", io.StringIO())   # no byte stream under it
    assert cli._utf8_stdout() is None

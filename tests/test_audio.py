"""The audio edition: the leaflet read by espeak-ng in its language, as a tagged, reproducible MP3."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import subprocess
import wave

import pytest

from leaflet import build
from leaflet.catalogs.reviews import ReviewStatus
from leaflet.editions import audio
from leaflet.editions.audio import Speech, Utterance
from leaflet.editions.made import Source, make_edition, read_source
from leaflet.editions.reading import Block, sections
from leaflet.errors import EditionFailed, MissingSystemLibrary, UsageError
from leaflet.languages import language
from leaflet.project import Project
from leaflet.render.edition import resolve_edition
from leaflet.render.options import BuildOptions

PERSONAL = {"patient": "Ana", "directions": "bedtime", "count": 2, "date": dt.date(2026, 3, 7)}


def source_of(project: Project, lang: str, leaflet: str = "diazepam", **options: object) -> Source:
    edition = resolve_edition(project, leaflet, lang, BuildOptions(medium="audio", **options))  # type: ignore[arg-type]
    return read_source(project, edition)[0]


@pytest.fixture(scope="module")
def spanish(shared_project):
    return source_of(shared_project, "es")


def id3_frames(data: bytes) -> dict[str, str]:
    """The text frames of an ID3v2.3 tag (``TXXX:voice`` for a user frame), read as a player does."""
    assert data[:4] == b"ID3\x03"
    size = tag_size(data) - 10
    frames, at = {}, 10
    while at < 10 + size:
        frame_id, length = data[at:at + 4].decode("ascii"), int.from_bytes(data[at + 4:at + 8], "big")
        body, at = data[at + 10:at + 10 + length], at + 10 + length
        assert body[0] == 1  # UTF-16 with a byte order mark
        if frame_id == "COMM":
            body = body[:1] + body[4:]  # the comment's language
        if frame_id in ("TXXX", "COMM"):
            parts = [p.decode("utf-16") for p in _split_utf16(body[1:])]
            frames[f"{frame_id}:{parts[0]}"] = parts[1]
        else:
            frames[frame_id] = body[1:].decode("utf-16")
    return frames


def tag_size(data: bytes) -> int:
    """The whole ID3 tag's length: its header and its "synchsafe" size (7 bits a byte)."""
    return 10 + sum((b & 0x7F) << shift for b, shift in zip(data[6:10], (21, 14, 7, 0), strict=True))


def _split_utf16(data: bytes) -> tuple[bytes, bytes]:
    for i in range(0, len(data) - 1, 2):
        if data[i:i + 2] == b"\x00\x00":
            return data[:i], data[i + 2:]
    raise AssertionError("no terminated description")


def mp3_seconds(data: bytes, tmp_path) -> float:
    """Decoded by lame into a WAV, as a player would play it."""
    (tmp_path / "a.mp3").write_bytes(data)
    subprocess.run(["lame", "--quiet", "--decode", str(tmp_path / "a.mp3"), str(tmp_path / "a.wav")], check=True)
    with wave.open(str(tmp_path / "a.wav"), "rb") as f:
        return f.getnframes() / f.getframerate()


@pytest.mark.slow
def test_the_spanish_leaflet_is_an_mp3_of_minutes_tagged_with_its_voice(shared_project, spanish, tmp_path):
    path = build("diazepam", "es", project=shared_project, medium="audio")
    data = path.read_bytes()
    assert path.name == "diazepam.mp3"
    seconds = mp3_seconds(data, tmp_path)
    assert 2 * 60 < seconds < 20 * 60
    assert len(data) < seconds * audio.BITRATE * 1000 / 8 * 1.02  # a constant speech bitrate
    tags = id3_frames(data)
    assert tags["TIT2"] == Block("title", spanish.leaflet.title).plain == "Diazepam para dormir"
    assert tags["TXXX:voice"] == f"espeak-ng {audio.espeak_version()} voice es"
    assert tags["TXXX:language"] == "es"
    assert "voice es" in tags["COMM:"] and "language es (Spanish)" in tags["COMM:"]
    assert tags["TPE1"] == "leaflet"
    start = tag_size(data)
    assert data[start:start + 2] == b"\xff\xf3"  # MPEG-2 layer III right after the tag
    assert data[start + 3] >> 6 == 3  # mono


def test_the_same_leaflet_gives_the_same_bytes(spanish):
    short = dataclasses.replace(spanish, sections=spanish.sections[:2])
    first, second = audio.make_audio(short), audio.make_audio(short)
    assert first.data == second.data
    assert first.notes == (f"voice es, espeak-ng {audio.espeak_version()}",)


def test_every_block_is_read_in_order_with_its_heading_first(spanish):
    lang = spanish.leaflet.lang
    expected = []
    for section in spanish.sections:
        expected += [section.title] if section.heading else []
        expected += [f"{b.number}. {b.plain}" if b.number else b.plain for b in section.blocks]
    said = [u.text for u in audio.utterances(spanish)]
    assert said == [audio.spoken_text(text, lang) for text in expected if text]
    assert said[1] == "Diazepam para dormir"
    assert any(text.startswith("1. Insomnio:") for text in said)  # a numbered item says its number


def test_sections_are_apart_by_a_longer_pause_than_blocks(spanish):
    said = audio.utterances(spanish)
    ends = [i for i, (this, after) in enumerate(itertools.pairwise(said)) if this.section != after.section]
    ends.append(len(said) - 1)
    assert all(said[i].pause == audio.SECTION_PAUSE for i in ends)
    assert {u.pause for i, u in enumerate(said) if i not in ends} <= {audio.BLOCK_PAUSE, audio.HEADING_PAUSE}
    assert audio.SECTION_PAUSE > audio.BLOCK_PAUSE


def test_an_unreviewed_translation_says_so_in_the_first_minute(spanish, tmp_path):
    leaflet = dataclasses.replace(spanish.leaflet, review=ReviewStatus())
    source = dataclasses.replace(spanish, leaflet=leaflet, sections=sections(leaflet))
    notice = audio.spoken_text(Block("notice", leaflet.frame["notice.unreviewed"]).plain, leaflet.lang)
    said = audio.utterances(source)
    at = [u.text for u in said].index(notice)
    before = [audio.speak(u, "es", tmp_path / "b.wav") for u in said[:at]]
    assert sum(s.seconds + s.utterance.pause for s in before) < 60


@pytest.mark.parametrize(("lang", "count", "date"), [
    ("es", "t'ome D'os", "sj'ete De m'arTo De D'os m'il BeIntis'eIs"),
    ("ar", "?iTn'a:n", "s'abA-a m'a:Ris ?alf'a:n wa s'it:aw,aAiSR'u:n"),
])
def test_the_count_and_the_date_are_read_in_the_language(shared_project, lang, count, date):
    source = source_of(shared_project, lang, **PERSONAL)
    personal = [u.text for u in audio.utterances(source) if u.section == "personal"]
    read = audio.phonemes("\n".join(personal), source.leaflet.lang.code)
    assert count in read and date in read
    assert "(en)" not in read.replace("(en)'A:n@(ar)", "")  # only the typed name "Ana", in Arabic


def test_digits_codes_and_phoneme_brackets_are_made_safe_to_read():
    spanish, nepali = language("es"), language("ne")
    assert audio.spoken_text("DailyMed: 04cc10ad-7d5c-434e).", spanish) == \
        "DailyMed: 0 4 c c 1 0 a d, 7 d 5 c, 4 3 4 e)."
    assert audio.spoken_text("C-IV, 2016-08-31", spanish) == "C-IV, 2016-08-31"  # not codes
    assert audio.spoken_text("12 महिना", nepali) == "१२ महिना"  # the Nepali voice reads "12" in English
    assert "[[" not in audio.spoken_text("Ana [[h@l'oU]]\nGarcía", spanish)
    assert "\n" not in audio.spoken_text("Ana [[h@l'oU]]\nGarcía", spanish)


def test_a_language_without_a_voice_is_refused_with_the_reason(shared_project):
    edition = resolve_edition(shared_project, "diazepam", "yi", BuildOptions(medium="audio"))
    with pytest.raises(UsageError, match="no audio edition in 'yi': .*no Yiddish voice"):
        make_edition(shared_project, edition)


def test_switched_words_counts_the_runs_read_in_another_language():
    arabic = "di:'a:zi:b,a:m_:_: (en)d'aI@z,Epam(ar)_:_: llnu:m\n(en)'Ef d'i:; 'eI(ar) w'a:Hid"
    found = audio.switched_words(arabic, "ar")
    assert (found.words, found.switched, found.longest, found.languages) == (7, 4, 3, ("en",))
    assert audio.switched_words("bO~Z'ur (en)D@ kw'Ik(fr) f'Oks", "fr-fr").longest == 2  # (fr) is fr-fr's own
    assert audio.switched_words("_:_: _! _|", "es").words == 0  # pauses are not words


def test_english_read_by_the_arabic_voice_is_refused(shared_project, tmp_path):
    source = source_of(shared_project, "ar")
    header = [audio.speak(u, "ar", tmp_path / "a.wav") for u in audio.utterances(source)[:4]]
    assert "(diazepam)" in header[1].utterance.text
    audio.check_speech(source, "ar", header)  # the title's Latin name is fine
    english = Utterance("Take two tablets at bedtime with a glass of water.", audio.BLOCK_PAUSE, "personal")
    with pytest.raises(EditionFailed, match=r"Arabic audio of diazepam \(voice ar\) was refused: "
                                            r"'Take two.*in personal has \d+ words in a row read as en"):
        audio.check_speech(source, "ar", [*header, audio.speak(english, "ar", tmp_path / "b.wav")])


def test_a_block_cut_short_is_refused(spanish):
    text = "Pida ayuda de emergencia de inmediato si la persona está muy somnolienta."
    cut = Speech(Utterance(text, audio.BLOCK_PAUSE, "risks"), samples=bytes(2 * 2205), rate=22050, phonemes="")
    with pytest.raises(EditionFailed, match="Spanish audio of diazepam .*lasts 0.1 s, too short for its text"):
        audio.check_speech(spanish, "es", [cut])


def test_a_missing_command_is_named_with_its_package(monkeypatch, spanish):
    monkeypatch.setattr(audio.shutil, "which", lambda name: None if name == "lame" else f"/usr/bin/{name}")
    with pytest.raises(MissingSystemLibrary, match="needs lame") as caught:
        audio.make_audio(spanish)
    assert "apt-get install" in (caught.value.hint or "")

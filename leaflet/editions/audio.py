"""The audio edition: a localized leaflet -> the leaflet read aloud by espeak-ng -> an MP3.

Takes a ``Source`` (the sections in the print's reading order) and gives MP3 bytes
with ID3 tags. Every block is read by the voice ``coverage.toml`` names for the
language, in one espeak-ng call per block, so each call also gives that block's
phonemes (``-x``) and its length; the blocks are joined with silence (a short
pause between blocks, a longer one between sections) and encoded once by lame,
mono at a speech bitrate. Same leaflet, same espeak-ng and lame: same bytes.

Before the file is returned it is checked (``EditionFailed``): every block must
last about as long as its text needs (a block read far too fast was cut short),
and the voice must not leave the language (``switched_words``).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from leaflet.coverage import coverage, require_available
from leaflet.editions.made import Made, Source
from leaflet.editions.reading import Block, Section
from leaflet.errors import EditionFailed, MissingSystemLibrary
from leaflet.languages import Language

#: Words per minute: espeak-ng's 175 is quick for a patient listening to warnings.
RATE = 150
#: Seconds of silence added after a block, a section's heading and a section; espeak-ng
#: ends every utterance with 0.4 s of its own, so a listener hears about 0.7 s and 1.3 s.
BLOCK_PAUSE = 0.3
HEADING_PAUSE = 0.3
SECTION_PAUSE = 0.9
#: MP3 bitrate (kbit/s, constant) and sample rate (kHz): speech quality, about 360 kB a minute.
BITRATE = 48
#: ID3 names: who made the file, for a phone's music library.
ARTIST = "leaflet"
ALBUM = "leaflet: patient information"

#: A block must not be read faster than this many letters (and digits) a second: at ``RATE``
#: the voices read 3.5 (Arabic, whose short vowels are not written) to 17 (French), so
#: faster means text was dropped.
MOST_LETTERS_PER_SECOND = 25.0
#: The language check (``switched_words``): a block may have at most this many words in a
#: row read by another language's rules, and the whole leaflet at most this share of its words.
LONGEST_SWITCH = 4
MOST_SWITCHED = 0.10

_COMMANDS = ("espeak-ng", "lame")
#: espeak-ng's ``-x`` output marks a change of language as ``(en)`` and the return as ``(es)``.
_LANGUAGE_MARK = re.compile(r"\(([a-z]{2,3}(?:-[a-z0-9]+)*)\)")
#: A code of letters and digits (a DailyMed set id): read character by character, since
#: a voice reads "85b14071492b" as a number with letters in it.
_CODE = re.compile(r"\b(?=[0-9a-fA-F-]*[0-9])(?=[0-9a-fA-F-]*[a-fA-F])[0-9a-fA-F]+(?:-[0-9a-fA-F]+)+\b")


@dataclass(frozen=True)
class Utterance:
    """One espeak-ng call: the words as spoken, the silence after them, and where they come from."""

    text: str
    pause: float
    section: str


@dataclass(frozen=True)
class Speech:
    """What espeak-ng made of an utterance: 16-bit mono samples and its phonemes (``-x``)."""

    utterance: Utterance
    samples: bytes
    rate: int
    phonemes: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / 2 / self.rate


def make_audio(source: Source) -> Made:
    """The leaflet as an MP3, checked; the voice is named in the build log."""
    lang = source.leaflet.lang
    require_available("audio", lang.code)
    voice = coverage(lang.code).voice or ""
    require_commands()
    with tempfile.TemporaryDirectory(prefix="leaflet-audio-") as folder:
        spoken = [_speak_in(source, voice, u, Path(folder) / "block.wav") for u in utterances(source)]
    check_speech(source, voice, spoken)
    mp3 = encode(join(spoken))
    described = describe(voice)
    tags = id3_tag(source, described, seconds=sum(s.seconds + s.utterance.pause for s in spoken))
    return Made(tags + mp3, notes=(f"voice {voice}, espeak-ng {espeak_version()}",))


# -- what is read -----------------------------------------------------------------------

def utterances(source: Source) -> list[Utterance]:
    """Everything the print says, in its order: the title and notices first (the notice of an
    unreviewed translation among them), each section's heading before its blocks."""
    found: list[Utterance] = []
    for section in source.sections:
        found += _section_utterances(section, source)
    return [u for u in found if u.text]


def _section_utterances(section: Section, source: Source) -> Iterator[Utterance]:
    lang = source.leaflet.lang
    if section.heading is not None:
        pause = HEADING_PAUSE if section.blocks else SECTION_PAUSE
        yield Utterance(spoken_text(section.title, lang), pause, section.key)
    for i, block in enumerate(section.blocks, 1):
        pause = SECTION_PAUSE if i == len(section.blocks) else BLOCK_PAUSE
        yield Utterance(spoken_text(_block_text(block, source), lang), pause, section.key)


def _block_text(block: Block, source: Source) -> str:
    """A numbered item starts with its number, as printed, in the language's digits."""
    if block.number is None:
        return block.plain
    from leaflet.render.html import number

    return f"{number(block.number, source.leaflet.lang)}. {block.plain}"


def spoken_text(text: str, lang: Language) -> str:
    """The text as espeak-ng is given it: one line, digits in the language's own, codes
    spelled out, no phoneme input.

    The Nepali voice reads "12" in English and "१२" in Nepali. A code (``04cc10ad-7d5c-...``)
    is read a character at a time, its groups apart; without that a voice reads
    "85b14071492b" as "85, b, 14 million ...". ``[[`` would start espeak-ng's phoneme
    input, so typed text could make it say anything."""
    text = _CODE.sub(lambda m: ", ".join(" ".join(group) for group in m.group(0).split("-")), text)
    return lang.native_digits(" ".join(text.replace("[[", "[ [").split()))


# -- espeak-ng --------------------------------------------------------------------------

def require_commands() -> None:
    """Name what is missing before any work, as ``leaflet doctor`` does (not imported: the
    front ends sit above the editions)."""
    missing = [name for name in _COMMANDS if shutil.which(name) is None]
    if missing:
        raise MissingSystemLibrary(f"the audio edition needs {' and '.join(missing)}, not installed",
                                   hint="install with: apt-get install -y --no-install-recommends "
                                        + " ".join(_COMMANDS))


@functools.cache
def espeak_version() -> str:
    out = _run(["espeak-ng", "--version"], b"").stdout.decode("utf-8", "replace")
    found = re.search(r"\d+(?:\.\d+)+", out)
    return found.group(0) if found else "unknown"


def describe(voice: str) -> str:
    """The voice as the ID3 tag names it: "espeak-ng 1.51 voice es"."""
    return f"espeak-ng {espeak_version()} voice {voice}"


def speak(utterance: Utterance, voice: str, wav: Path) -> Speech:
    """One espeak-ng call: the text on stdin (never a shell, never an argument), UTF-8,
    the samples to ``wav`` and the phonemes to stdout."""
    args = ["espeak-ng", "-v", voice, "-s", str(RATE), "-b", "1", "-x", "-w", str(wav)]
    done = _run(args, utterance.text.encode("utf-8"))
    with wave.open(str(wav), "rb") as f:
        if f.getnchannels() != 1 or f.getsampwidth() != 2:
            raise EditionFailed(f"espeak-ng wrote {f.getnchannels()} channel(s) of {8 * f.getsampwidth()} bits, "
                                "not 16-bit mono")
        return Speech(utterance, f.readframes(f.getnframes()), f.getframerate(),
                      done.stdout.decode("utf-8", "replace"))


def _speak_in(source: Source, voice: str, utterance: Utterance, wav: Path) -> Speech:
    """``speak``, its failure naming the leaflet and the language (the Burmese voice of
    espeak-ng 1.51 aborts with "buffer overflow detected" on a clause of eight words)."""
    try:
        return speak(utterance, voice, wav)
    except EditionFailed as exc:
        leaflet = source.leaflet
        raise EditionFailed(f"the {leaflet.lang.english_name} audio of {leaflet.id} (voice {voice}) was not made: "
                            f"{exc.message}, reading {_shown(utterance)} in {utterance.section}",
                            hint="this voice cannot read the text; see the editions table in README.md") from exc


def phonemes(text: str, voice: str) -> str:
    """espeak-ng's phonemes of a text as given, with its marks of a change of language; no sound."""
    args = ["espeak-ng", "-v", voice, "-s", str(RATE), "-b", "1", "-q", "-x"]
    return _run(args, text.encode("utf-8")).stdout.decode("utf-8", "replace")


def _run(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(args, input=stdin, capture_output=True, timeout=300, check=False,
                              env={**os.environ, "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired as exc:
        raise EditionFailed(f"{args[0]} did not finish in {exc.timeout:g} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EditionFailed(f"{args[0]} failed: {message[0] if message else f'exit status {done.returncode}'}")
    return done


# -- the check --------------------------------------------------------------------------

@dataclass(frozen=True)
class Switches:
    """How much of a text a voice read with another language's rules."""

    words: int
    switched: int
    longest: int
    languages: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.switched / self.words if self.words else 0.0


def switched_words(phoneme_text: str, voice: str) -> Switches:
    """Count the words espeak-ng read in another language (between ``(en)`` and the mark of
    the voice's own language).

    The rule the check applies: in a block, at most ``LONGEST_SWITCH`` words in a row, and
    in the whole leaflet at most ``MOST_SWITCHED`` of the words, may be read in another
    language. A medicine's Latin name, "FDA" or "DailyMed" inside Arabic text is a word or
    three read by the English rules, which is how a reader of the print says them too; a
    sentence of five words or more is another language, and is refused. Measured on both
    leaflets in every voiced language: at most 3 words in a row (a spelled code's letters,
    "FDA"), at most 4% of the words. A voice that
    reads a foreign script letter by letter with its own rules (the Latin voices read
    English as if it were their language) does not switch, and this cannot see it: the
    catalogs' checks are what keep English out of a translation.
    """
    own = {voice, voice.split("-")[0]}
    words = switched = run = longest = 0
    languages: list[str] = []
    for line in phoneme_text.splitlines():
        current = voice
        for i, part in enumerate(_LANGUAGE_MARK.split(line)):
            if i % 2:
                current = part
                continue
            for _ in _phoneme_words(part):
                words += 1
                if current in own:
                    run = 0
                    continue
                switched, run = switched + 1, run + 1
                longest = max(longest, run)
                languages += [] if current in languages else [current]
    return Switches(words, switched, longest, tuple(languages))


def _phoneme_words(part: str) -> list[str]:
    """Words of ``-x`` output; pause marks (``_:``, ``_!``, ``_|``) are not words."""
    return [w for w in part.split() if any(c.isalnum() for c in w)]


def letters(text: str) -> int:
    """Letters and digits, the measure of how long a text takes to read in any script."""
    return sum(1 for c in text if unicodedata.category(c)[0] in "LN")


def check_speech(source: Source, voice: str, spoken: list[Speech]) -> None:
    """Refuse audio that dropped text or left the language; every problem at once."""
    problems = [p for s in spoken for p in _block_problems(s, voice)]
    total = switched_words("\n".join(s.phonemes for s in spoken), voice)
    if total.share > MOST_SWITCHED:
        problems.append(f"{total.share:.0%} of the words are read in another language "
                        f"({', '.join(total.languages)}), more than {MOST_SWITCHED:.0%}")
    if problems:
        leaflet = source.leaflet
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise EditionFailed(f"the {leaflet.lang.english_name} audio of {leaflet.id} (voice {voice}) was refused: "
                            + "; ".join(problems[:5]) + more,
                            hint="the text is not one this voice can read; see the editions table in README.md")


def _shown(utterance: Utterance) -> str:
    text = utterance.text
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _block_problems(speech: Speech, voice: str) -> list[str]:
    text, shown = speech.utterance.text, _shown(speech.utterance)
    problems = []
    if letters(text) > MOST_LETTERS_PER_SECOND * max(speech.seconds, 0.01):
        problems.append(f"{shown} in {speech.utterance.section} lasts {speech.seconds:.1f} s, "
                        "too short for its text")
    switches = switched_words(speech.phonemes, voice)
    if switches.longest > LONGEST_SWITCH:
        problems.append(f"{shown} in {speech.utterance.section} has {switches.longest} words in a row "
                        f"read as {', '.join(switches.languages)}")
    return problems


# -- the MP3 ----------------------------------------------------------------------------

def join(spoken: list[Speech]) -> tuple[bytes, int]:
    """The samples of every block, each followed by its silence, and their rate."""
    rate = spoken[0].rate if spoken else 22050
    parts = []
    for speech in spoken:
        parts += [speech.samples, bytes(2 * round(speech.utterance.pause * rate))]
    return b"".join(parts), rate


def encode(pcm: tuple[bytes, int]) -> bytes:
    """Constant bitrate mono MP3 by lame, from raw samples on stdin to stdout. Writing to a
    pipe, lame adds no "Info" frame (a player reckons a constant bitrate's length from the
    file's size) and no ID3 tag (``id3_tag`` makes it); nothing in its output changes from
    run to run. ``-q 5``: speech from a formant synthesizer gains nothing from the slower modes."""
    samples, rate = pcm
    khz = f"{rate / 1000:g}"
    args = ["lame", "--quiet", "-r", "-s", khz, "--bitwidth", "16", "--signed", "--little-endian",
            "-m", "m", "--cbr", "-b", str(BITRATE), "--resample", khz, "-q", "5", "--noreplaygain", "-", "-"]
    return _run(args, samples).stdout


def id3_tag(source: Source, described: str, *, seconds: float) -> bytes:
    """An ID3v2.3 tag in UTF-16, which every phone reads in every script: the title in the
    language, the voice and the language for whoever checks the file."""
    leaflet = source.leaflet
    title = Block("title", leaflet.title).plain
    language = f"{leaflet.lang.code} ({leaflet.lang.english_name})"
    frames = [_text_frame("TIT2", title), _text_frame("TPE1", ARTIST), _text_frame("TALB", ALBUM),
              _text_frame("TLEN", str(round(seconds * 1000))),
              _comment(f"{described}; language {language}"),
              _user_frame("voice", described), _user_frame("language", leaflet.lang.code),
              _user_frame("leaflet", leaflet.id), _user_frame("revised", leaflet.revised.isoformat())]
    body = b"".join(frames)
    return b"ID3\x03\x00\x00" + _synchsafe(len(body)) + body


def _utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def _frame(frame_id: str, data: bytes) -> bytes:
    return frame_id.encode("ascii") + struct.pack(">I", len(data)) + b"\x00\x00" + data


def _text_frame(frame_id: str, text: str) -> bytes:
    return _frame(frame_id, b"\x01" + _utf16(text))


def _user_frame(description: str, value: str) -> bytes:
    return _frame("TXXX", b"\x01" + _utf16(description) + b"\x00\x00" + _utf16(value))


def _comment(text: str) -> bytes:
    return _frame("COMM", b"\x01eng" + _utf16("") + b"\x00\x00" + _utf16(text))


def _synchsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))

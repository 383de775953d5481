"""Convert a video with PyAV (its wheels bring libx264, AAC, FFV1, FLAC and mov_text, so
no system ffmpeg is needed).

MP4 (the norm's acceptable container for publication): H.264 and AAC are re-muxed as
they are (no generation loss); any other codec is re-encoded to H.264 (libx264,
CRF 19, preset ``fast``: visually lossless at a tenth of the time of ``slow``) and AAC
(192 kbit/s).  ``--master`` writes Matroska with FFV1 (level 3, lossless) and FLAC, the
norm's preferred pair.  Text subtitle tracks (WebVTT, SubRip, ASS, mov_text) are decoded
and encoded again as ``mov_text`` (MP4) or SubRip (Matroska), with their language, so
captions survive; bitmap subtitles cannot be carried as text and are reported.  The MP4
is written with fast start (index first) so it plays while downloading.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import av

from mediaaudit.fix.texts import Why

CRF = "19"
PRESET = "fast"
AAC_BITRATE = 192_000
TEXT_SUBS = frozenset({"webvtt", "subrip", "srt", "ass", "ssa", "mov_text", "text"})
# What a subtitle encoder needs to start: an ASS header (ffmpeg's default one).
ASS_HEADER = (
    b"[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n"
    b"Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
    b"BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
    b"BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    b"Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,"
    b"10,0\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
    b"Effect, Text\n"
)


class VideoUnfixable(Exception):
    """The original cannot be converted; the message is for the user (``why`` in
    either language)."""

    def __init__(self, message: str, why: Why | None = None) -> None:
        super().__init__(message)
        self.why = why


def _even(n: int) -> int:
    return max(2, n - n % 2)


def convert_video(src: str, dst: str, target: str, copy_video: bool, copy_audio: bool,
                  tags: Mapping[str, str]) -> dict[str, Any]:
    """Write ``src`` as MP4 or MKV to ``dst`` (a temporary name); returns what was done."""
    try:
        inp = av.open(src, metadata_errors="ignore")
    except (av.error.FFmpegError, OSError) as exc:
        raise VideoUnfixable(f"cannot open the video: {exc}",
                             Why("cannot_open_video", {"why": str(exc)})) from exc
    with inp:
        try:
            return _convert(inp, dst, target, copy_video, copy_audio, tags)
        except av.error.FFmpegError as exc:
            raise VideoUnfixable(f"conversion failed: {exc}",
                                 Why("video_failed", {"why": str(exc)})) from exc


def _convert(inp: Any, dst: str, target: str, copy_video: bool, copy_audio: bool,
             tags: Mapping[str, str]) -> dict[str, Any]:
    mp4 = target == "mp4"
    opts = {"movflags": "+faststart+use_metadata_tags"} if mp4 else {}
    out = av.open(dst, "w", format="mp4" if mp4 else "matroska", options=opts)
    tracks: list[dict[str, Any]] = []
    dropped: list[str] = []
    plan: dict[int, tuple[str, Any, Any]] = {}  # in index → (mode, out stream, helper)
    with out:
        out.metadata.update(dict(tags))
        for s in inp.streams:
            name = s.codec_context.name if s.codec_context else "unknown"
            lang = s.metadata.get("language")
            if s.type == "video" and not s.disposition & av.stream.Disposition.attached_pic:
                if copy_video:
                    o = out.add_stream_from_template(s)
                    plan[s.index] = ("copy", o, None)
                    tracks.append({"type": "video", "from": name, "to": name, "how": "copy"})
                else:
                    o = _video_encoder(out, s, mp4)
                    plan[s.index] = ("video", o, None)
                    tracks.append({"type": "video", "from": name, "to": o.codec_context.name,
                                   "how": "encode", **_video_settings(mp4)})
            elif s.type == "audio":
                if copy_audio:
                    o = out.add_stream_from_template(s)
                    plan[s.index] = ("copy", o, None)
                    tracks.append({"type": "audio", "from": name, "to": name, "how": "copy"})
                else:
                    o = out.add_stream("aac" if mp4 else "flac", rate=s.rate or 48000)
                    layout = s.codec_context.layout.name if s.codec_context.layout else "stereo"
                    o.layout = layout
                    if mp4:
                        o.bit_rate = AAC_BITRATE
                    else:
                        o.format = "s16" if s.codec_context.format.bytes <= 2 else "s32"
                    res = av.AudioResampler(format=o.format.name, layout=layout,
                                            rate=o.rate)
                    plan[s.index] = ("audio", o, res)
                    tracks.append({"type": "audio", "from": name, "to": o.codec_context.name,
                                   "how": "encode", **({"bitrate": AAC_BITRATE} if mp4
                                                       else {})})
            elif s.type == "subtitle":
                if name not in TEXT_SUBS:
                    dropped.append(f"{s.type} track {s.index} ({name}): not text")
                    continue
                o = out.add_stream("mov_text" if mp4 else "subrip")
                header = s.codec_context.subtitle_header or ASS_HEADER
                o.codec_context.subtitle_header = header
                o.time_base = s.time_base
                plan[s.index] = ("sub", o, None)
                tracks.append({"type": "subtitle", "from": name, "to": o.codec_context.name,
                               "how": "encode", "language": lang})
            else:
                dropped.append(f"{s.type} track {s.index} ({name})")
                continue
            if lang and s.index in plan:
                plan[s.index][1].metadata["language"] = lang
        if not any(t["type"] == "video" for t in tracks):
            raise VideoUnfixable("no video track")
        _mux(inp, out, plan)
    return {"container": "MP4" if mp4 else "Matroska", "faststart": mp4, "tracks": tracks,
            "not_carried": dropped}


def _video_settings(mp4: bool) -> dict[str, Any]:
    if mp4:
        return {"crf": int(CRF), "preset": PRESET, "profile": "high", "pix_fmt": "yuv420p"}
    return {"level": 3, "slicecrc": 1, "g": 1}


def _video_encoder(out: Any, s: Any, mp4: bool) -> Any:
    rate = s.average_rate or s.guessed_rate or 25
    o = out.add_stream("libx264" if mp4 else "ffv1", rate=rate)
    cc = s.codec_context
    if mp4:
        o.width, o.height, o.pix_fmt = _even(cc.width), _even(cc.height), "yuv420p"
        o.options = {"crf": CRF, "preset": PRESET, "profile": "high"}
    else:
        o.width, o.height = cc.width, cc.height
        o.pix_fmt = cc.pix_fmt if cc.pix_fmt in ("yuv420p", "yuv422p", "yuv444p",
                                                  "yuv420p10le", "yuv422p10le") else "yuv420p"
        o.options = {"level": "3", "slicecrc": "1", "g": "1"}
    o.time_base = s.time_base
    return o


def _mux(inp: Any, out: Any, plan: Mapping[int, tuple[str, Any, Any]]) -> None:
    for packet in inp.demux([inp.streams[i] for i in plan]):
        mode, o, helper = plan[packet.stream.index]
        if mode == "copy":
            if packet.dts is None:
                continue
            packet.stream = o
            out.mux(packet)
        elif mode == "video":
            for frame in packet.decode():
                if frame.width != o.width or frame.height != o.height \
                        or frame.format.name != o.pix_fmt:
                    frame = frame.reformat(width=o.width, height=o.height, format=o.pix_fmt)
                frame.pict_type = av.video.frame.PictureType.NONE
                out.mux(o.encode(frame))
        elif mode == "audio":
            for frame in packet.decode():
                for f in helper.resample(frame):
                    out.mux(o.encode(f))
        else:
            _subtitle(packet, o, out)
    for mode, o, helper in plan.values():
        if mode == "audio":
            for f in helper.resample(None):
                out.mux(o.encode(f))
        if mode in ("video", "audio"):
            out.mux(o.encode(None))


def _subtitle(packet: Any, o: Any, out: Any) -> None:
    """Decode one text subtitle packet and encode its cues for the output track, with
    the packet's own timing."""
    if packet.pts is None or not packet.size:
        return
    decoded = packet.stream.codec_context.decode2(packet)
    if decoded is None:
        return
    from av.subtitles.subtitle import SubtitleSet

    for rect in decoded:
        ass = getattr(rect, "ass", b"")
        if not ass:
            continue
        sub = SubtitleSet.create(ass, 0, int(packet.duration or 0), pts=0)
        pkt = o.codec_context.encode_subtitle(sub)
        pkt.stream = o
        pkt.time_base = packet.time_base
        pkt.pts = pkt.dts = packet.pts
        pkt.duration = packet.duration
        out.mux(pkt)

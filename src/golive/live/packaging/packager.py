"""A live input's HLS folder: ffmpeg's raw playlists in, the playlists viewers fetch out.

The folder is `<media dir>/<liveInputId>/`, one subfolder per rendition, so the media domain's signed
delivery (one signature per folder, checked without the database) and nginx serve it unchanged. What
must survive ffmpeg restarts and server restarts (the renditions, every discontinuity, the target
duration) is kept in `<data dir>/live/<liveInputId>/state.json`.

Every write is a whole file renamed into place, so readers never see a partial playlist.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from golive.live.packaging import playlists
from golive.live.packaging.playlists import Anchor, Measured, VariantEntry, VariantHistory
from golive.media.vod_playlists import SegmentFile, measure
from golive.platform.settings import Settings

log = logging.getLogger("golive.live")

POLL_SECONDS = 0.1
# Segments stay on disk this many entries after leaving ffmpeg's list (a player may still be fetching).
DELETE_GRACE_SEGMENTS = 6


def output_dir(settings: Settings, live_input_id: str) -> Path:
    return settings.media_dir / live_input_id


def work_dir(settings: Settings, live_input_id: str) -> Path:
    """Not served: state, ffmpeg's log and progress, the recording parts."""
    return settings.data_dir / "live" / live_input_id


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w") as temp:
            temp.write(text)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


class LivePackager:
    """Turns ffmpeg's raw playlists into the served ones, for one live input."""

    def __init__(self, settings: Settings, live_input_id: str) -> None:
        self.out_dir = output_dir(settings, live_input_id)
        self.state_file = work_dir(settings, live_input_id) / "state.json"
        self.window_seconds = float(settings.live_window_seconds)
        self.dvr_seconds = float(settings.live_dvr_seconds)
        self.variants: list[VariantEntry] = []
        self.history: dict[str, VariantHistory] = {}
        self.anchors: list[Anchor] = []
        self.ended = False
        self._seen: dict[str, tuple[int, int]] = {}
        self._parsed: dict[str, playlists.MediaPlaylist] = {}
        self._sizes: dict[str, dict[int, int]] = {}
        self._dates: dict[int, float] = {}
        self._load()

    # --- state ------------------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            data: dict[str, Any] = json.loads(self.state_file.read_text())
        except (FileNotFoundError, ValueError):
            return
        self.variants = [VariantEntry(**entry) for entry in data.get("variants", [])]
        self.history = {
            name: VariantHistory(
                set(entry.get("discontinuities", [])),
                int(entry.get("targetDuration", 1)),
                bytes_sent=int(entry.get("bytesSent", 0)),
                seconds_sent=float(entry.get("secondsSent", 0.0)),
                peak=int(entry.get("peak", 0)),
                measured_through=int(entry.get("measuredThrough", -1)),
            )
            for name, entry in data.get("history", {}).items()
        }
        self.anchors = [Anchor(int(sequence), float(at)) for sequence, at in data.get("anchors", [])]
        self.ended = bool(data.get("ended", False))

    def _save(self) -> None:
        data = {
            "variants": [asdict(variant) for variant in self.variants],
            "history": {
                name: {
                    "discontinuities": sorted(h.discontinuities),
                    "targetDuration": h.target_duration,
                    "bytesSent": h.bytes_sent,
                    "secondsSent": h.seconds_sent,
                    "peak": h.peak,
                    "measuredThrough": h.measured_through,
                }
                for name, h in self.history.items()
            },
            "anchors": [[anchor.sequence, anchor.at] for anchor in self.anchors],
            "ended": self.ended,
        }
        write_atomically(self.state_file, json.dumps(data))

    def reset(self) -> None:
        """A new broadcast: nothing of the previous one is served or remembered."""
        shutil.rmtree(self.out_dir, ignore_errors=True)
        self.variants, self.history, self.ended, self._seen = [], {}, False, {}
        self.anchors, self._parsed, self._sizes, self._dates = [], {}, {}, {}
        self.state_file.unlink(missing_ok=True)

    def begin(self, variants: Sequence[VariantEntry], first_frame_at: float | None = None) -> None:
        """A transcoder is about to write these renditions (a reconnect keeps the history).

        `first_frame_at` (unix seconds): when the ingest received the first frame this transcoder reads;
        its first segment (the next sequence number, as `append_list` continues the count) starts then.
        """
        if first_frame_at is not None:
            self.anchors = [*self.anchors[-20:], Anchor(self._next_sequence(variants), first_frame_at)]
        self.variants = list(variants)
        self.ended = False
        for variant in self.variants:
            (self.out_dir / variant.name).mkdir(parents=True, exist_ok=True)
            self.history.setdefault(variant.name, VariantHistory())
        self._save()

    def _next_sequence(self, variants: Sequence[VariantEntry]) -> int:
        """The sequence number the next ffmpeg's first segment gets: after the last one in the raw list."""
        if not variants:
            return 0
        try:
            raw = (self.out_dir / variants[0].name / playlists.RAW_PLAYLIST).read_text()
        except (OSError, UnicodeDecodeError):
            return 0
        playlist = playlists.parse_media_playlist(raw)
        return playlist.media_sequence + len(playlist.segments)

    # --- the served playlists ---------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> bool:
        """Re-render what changed; True once every rendition has a segment (viewers can start).

        The first rendition dates the segments for all, so when it changes every rendition is rendered.
        """
        ready = bool(self.variants)
        changed_history = False
        changed: set[str] = set()
        for variant in self.variants:
            raw = self.out_dir / variant.name / playlists.RAW_PLAYLIST
            try:
                stat = raw.stat()
            except FileNotFoundError:
                ready = False
                continue
            marker = (stat.st_mtime_ns, stat.st_size)
            if not force and self._seen.get(variant.name) == marker:
                continue
            try:
                playlist = playlists.parse_media_playlist(raw.read_text())
            except (OSError, UnicodeDecodeError):
                ready = False
                continue
            self._seen[variant.name] = marker
            self._parsed[variant.name] = playlist
            history = self.history.setdefault(variant.name, VariantHistory())
            before = (len(history.discontinuities), history.target_duration, history.peak)
            history.observe(playlist)
            self._measure(variant.name, playlist, history)
            changed_history |= before != (len(history.discontinuities), history.target_duration, history.peak)
            changed.add(variant.name)
        if self.variants and self.variants[0].name in changed:
            reference = self._parsed[self.variants[0].name]
            self._dates = playlists.segment_dates(reference, self.anchors, self._dates)
            changed.update(name for name in self._parsed if name in {v.name for v in self.variants})
        for variant in self.variants:
            playlist_or_none = self._parsed.get(variant.name)
            if playlist_or_none is None or not playlist_or_none.segments:
                ready = False
                continue
            if variant.name in changed:
                self._write_variant(variant.name, playlist_or_none, self.history[variant.name])
                self._delete_old_segments(variant.name, playlist_or_none)
        if changed_history:
            self._save()
        if ready:
            self._write_masters()
        return ready and all((self.out_dir / v.name / playlists.LIVE_PLAYLIST).exists() for v in self.variants)

    def _measure(self, name: str, playlist: playlists.MediaPlaylist, history: VariantHistory) -> None:
        """Count new segments into what the rendition has sent; its peak over the segments listed now."""
        sizes = self._sizes.setdefault(name, {})
        listed = []
        for segment in playlist.segments:
            size = sizes.get(segment.sequence)
            if size is None:
                try:
                    size = os.stat(self.out_dir / name / segment.uri).st_size
                except OSError:
                    continue
                sizes[segment.sequence] = size
            listed.append(SegmentFile(segment.uri, segment.duration, size))
            if segment.sequence > history.measured_through and segment.duration > 0:
                history.bytes_sent += size
                history.seconds_sent += segment.duration
                history.measured_through = segment.sequence
        first = playlist.segments[0].sequence if playlist.segments else 0
        for sequence in [number for number in sizes if number < first]:
            del sizes[sequence]
        if listed:
            history.peak = max(history.peak, measure(listed, float(history.target_duration)).peak)

    def _dates_or_none(self) -> dict[int, float] | None:
        """Our segment dates once this broadcast has an anchor; ffmpeg's own otherwise (an older state)."""
        return self._dates if self.anchors else None

    def _write_variant(self, name: str, playlist: playlists.MediaPlaylist, history: VariantHistory) -> None:
        folder = self.out_dir / name
        dates = self._dates_or_none()
        live = playlists.render_media_playlist(
            playlist, history, window_seconds=self.window_seconds, ended=self.ended, dates=dates
        )
        write_atomically(folder / playlists.LIVE_PLAYLIST, live)
        if self.dvr_seconds > 0:
            dvr = playlists.render_media_playlist(
                playlist,
                history,
                window_seconds=max(self.dvr_seconds, self.window_seconds),
                ended=self.ended,
                dates=dates,
            )
            write_atomically(folder / playlists.DVR_PLAYLIST, dvr)

    def _measured(self) -> dict[str, Measured]:
        found = {}
        for name, history in self.history.items():
            figures = history.measured
            if figures is not None:
                found[name] = figures
        return found

    def _write_masters(self) -> None:
        measured = self._measured()
        master = playlists.render_master(self.variants, playlists.LIVE_PLAYLIST, measured)
        target = self.out_dir / playlists.MASTER_PLAYLIST
        if not target.exists() or target.read_text() != master:
            write_atomically(target, master)
        if self.dvr_seconds > 0:
            dvr = playlists.render_master(self.variants, playlists.DVR_PLAYLIST, measured)
            target = self.out_dir / playlists.DVR_MASTER_PLAYLIST
            if not target.exists() or target.read_text() != dvr:
                write_atomically(target, dvr)

    def _delete_old_segments(self, name: str, playlist: playlists.MediaPlaylist) -> None:
        """ffmpeg is not asked to delete (a restarted ffmpeg forgets its predecessor's files): we do it."""
        numbers = [n for n in (playlists.segment_number(s.uri) for s in playlist.segments) if n is not None]
        if not numbers:
            return
        keep_from = min(numbers) - DELETE_GRACE_SEGMENTS
        with os.scandir(self.out_dir / name) as entries:
            for entry in entries:
                if not entry.name.endswith(".ts"):
                    continue
                number = playlists.segment_number(entry.name)
                if number is not None and number < keep_from:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)

    def finish(self) -> None:
        """The event is over: every served playlist ends (EXT-X-ENDLIST), so players stop at the end."""
        self.ended = True
        self._save()
        self.refresh(force=True)

    @property
    def master_exists(self) -> bool:
        return (self.out_dir / playlists.MASTER_PLAYLIST).exists()

    async def follow(self, stop: asyncio.Event, on_ready: Callable[[], Awaitable[None]]) -> None:
        """Poll ffmpeg's playlists until `stop` is set; call `on_ready` once when viewers can start."""
        announced = False
        while True:
            stopping = stop.is_set()
            try:
                ready = self.refresh()
            except OSError:
                log.warning("could not package %s", self.out_dir, exc_info=True)
                ready = False
            if ready and not announced:
                announced = True
                try:
                    await on_ready()
                except Exception:
                    log.exception("live stream ready callback failed for %s", self.out_dir)
            if stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)

"""FLV tags: what an RTMP publisher's audio/video messages become on their way into ffmpeg.

RTMP audio, video and data messages carry exactly the payload of an FLV tag, so the ingest only
re-wraps them (an 11-byte tag header and the trailing size) and ffmpeg's FLV demuxer does the rest.
Also here: the few header fields the ingest must read itself before ffmpeg runs (codec ids, the AVC
and AAC configuration records, the picture size from the SPS), to plan the ladder, refuse what ffmpeg
5.1 cannot take (enhanced-RTMP HEVC/AV1) and report ingest health.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass

TAG_AUDIO = 8
TAG_VIDEO = 9
TAG_SCRIPT = 18

VIDEO_CODEC_AVC = 7
AUDIO_CODEC_AAC = 10
AUDIO_CODECS = {0: "pcm", 1: "adpcm", 2: "mp3", 3: "pcm", 4: "nellymoser", 5: "nellymoser", 6: "nellymoser"}
AUDIO_CODECS |= {7: "g711a", 8: "g711u", 10: "aac", 11: "speex", 14: "mp3", 15: "device"}
VIDEO_CODECS = {2: "h263", 3: "screen", 4: "vp6", 5: "vp6a", 6: "screen2", 7: "h264"}

_MAX_TAG_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Tag:
    kind: int
    timestamp: int  # milliseconds
    payload: bytes

    @property
    def is_video(self) -> bool:
        return self.kind == TAG_VIDEO

    @property
    def is_audio(self) -> bool:
        return self.kind == TAG_AUDIO


def file_header(*, audio: bool, video: bool) -> bytes:
    """The FLV file header; ffmpeg waits for exactly the streams it announces before it starts."""
    flags = (0x04 if audio else 0) | (0x01 if video else 0)
    return b"FLV\x01" + bytes([flags]) + b"\x00\x00\x00\x09" + b"\x00\x00\x00\x00"


def encode_tag(tag: Tag) -> bytes:
    size = len(tag.payload)
    ts = tag.timestamp & 0xFFFFFFFF
    header = (
        bytes([tag.kind])
        + size.to_bytes(3, "big")
        + (ts & 0xFFFFFF).to_bytes(3, "big")
        + bytes([(ts >> 24) & 0xFF])
        + b"\x00\x00\x00"
    )
    return header + tag.payload + struct.pack(">I", 11 + size)


class FlvFormatError(ValueError):
    pass


async def iter_tags(reader: asyncio.StreamReader) -> AsyncIterator[Tag]:
    """Tags from an FLV byte stream (ffmpeg's `-f flv pipe:1`); ends at EOF."""
    header = await reader.readexactly(9)
    if header[:3] != b"FLV":
        raise FlvFormatError("not an FLV stream")
    offset = int.from_bytes(header[5:9], "big")
    if offset > 9:
        await reader.readexactly(offset - 9)
    await reader.readexactly(4)  # PreviousTagSize0
    while True:
        try:
            head = await reader.readexactly(11)
        except asyncio.IncompleteReadError:
            return
        size = int.from_bytes(head[1:4], "big")
        if size > _MAX_TAG_BYTES:
            raise FlvFormatError(f"FLV tag of {size} bytes")
        timestamp = int.from_bytes(head[4:7], "big") | (head[7] << 24)
        try:
            payload = await reader.readexactly(size)
            await reader.readexactly(4)
        except asyncio.IncompleteReadError:
            return
        yield Tag(head[0] & 0x1F, timestamp, payload)


# --- what the ingest reads from the payloads ----------------------------------------------------------


@dataclass(frozen=True)
class VideoTagInfo:
    codec_id: int
    keyframe: bool
    # 0: sequence header (AVC decoder configuration), 1: coded frames, 2: end of sequence
    avc_packet_type: int | None
    # enhanced RTMP (HEVC, AV1, VP9 with a FourCC): ffmpeg 5.1's FLV demuxer cannot read it
    enhanced: bool

    @property
    def codec_name(self) -> str:
        return "enhanced-rtmp" if self.enhanced else VIDEO_CODECS.get(self.codec_id, f"codec-{self.codec_id}")

    @property
    def is_sequence_header(self) -> bool:
        return self.codec_id == VIDEO_CODEC_AVC and self.avc_packet_type == 0

    @property
    def is_frame(self) -> bool:
        return not self.enhanced and (self.codec_id != VIDEO_CODEC_AVC or self.avc_packet_type == 1)


def video_tag_info(payload: bytes) -> VideoTagInfo | None:
    if not payload:
        return None
    first = payload[0]
    if first & 0x80:
        return VideoTagInfo(codec_id=-1, keyframe=(first >> 4) & 0x07 == 1, avc_packet_type=None, enhanced=True)
    codec_id = first & 0x0F
    packet_type = payload[1] if codec_id == VIDEO_CODEC_AVC and len(payload) > 1 else None
    return VideoTagInfo(codec_id=codec_id, keyframe=(first >> 4) == 1, avc_packet_type=packet_type, enhanced=False)


@dataclass(frozen=True)
class AudioTagInfo:
    codec_id: int
    aac_packet_type: int | None

    @property
    def codec_name(self) -> str:
        return AUDIO_CODECS.get(self.codec_id, f"codec-{self.codec_id}")

    @property
    def is_sequence_header(self) -> bool:
        return self.codec_id == AUDIO_CODEC_AAC and self.aac_packet_type == 0


def audio_tag_info(payload: bytes) -> AudioTagInfo | None:
    if not payload:
        return None
    codec_id = payload[0] >> 4
    packet_type = payload[1] if codec_id == AUDIO_CODEC_AAC and len(payload) > 1 else None
    return AudioTagInfo(codec_id=codec_id, aac_packet_type=packet_type)


@dataclass(frozen=True)
class AvcConfig:
    profile: int
    compatibility: int
    level: int
    width: int | None
    height: int | None

    @property
    def codecs(self) -> str:
        """The RFC 6381 name HLS masters carry, e.g. avc1.64001f."""
        return f"avc1.{self.profile:02x}{self.compatibility:02x}{self.level:02x}"


def parse_avc_sequence_header(payload: bytes) -> AvcConfig | None:
    """An AVC sequence-header tag: 5 bytes of FLV/AVC packet header, then AVCDecoderConfigurationRecord."""
    record = payload[5:]
    if len(record) < 8 or record[0] != 1:
        return None
    width = height = None
    if record[5] & 0x1F:
        sps_length = int.from_bytes(record[6:8], "big")
        sps = record[8 : 8 + sps_length]
        size = sps_picture_size(sps) if len(sps) == sps_length else None
        if size is not None:
            width, height = size
    return AvcConfig(profile=record[1], compatibility=record[2], level=record[3], width=width, height=height)


def aac_codecs(payload: bytes) -> str:
    """An AAC sequence-header tag's AudioSpecificConfig gives the object type: mp4a.40.2 (LC), .5 (HE), ..."""
    if len(payload) < 3:
        return "mp4a.40.2"
    object_type = payload[2] >> 3
    if object_type == 31 and len(payload) >= 4:
        object_type = 32 + (((payload[2] & 0x07) << 3) | (payload[3] >> 5))
    return f"mp4a.40.{object_type or 2}"


class _Bits:
    """Exp-Golomb reader over an SPS with the emulation-prevention bytes removed (H.264 7.3.2.1.1)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def bit(self) -> int:
        byte = self.pos >> 3
        if byte >= len(self.data):
            raise IndexError("SPS ended early")
        value = (self.data[byte] >> (7 - (self.pos & 7))) & 1
        self.pos += 1
        return value

    def bits(self, count: int) -> int:
        value = 0
        for _ in range(count):
            value = (value << 1) | self.bit()
        return value

    def ue(self) -> int:
        zeros = 0
        while self.bit() == 0:
            zeros += 1
            if zeros > 31:
                raise ValueError("bad Exp-Golomb code")
        return (1 << zeros) - 1 + self.bits(zeros)

    def se(self) -> int:
        value = self.ue()
        return (value + 1) // 2 if value & 1 else -(value // 2)


_HIGH_PROFILES = frozenset({100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135})


def sps_picture_size(nal: bytes) -> tuple[int, int] | None:
    """The displayed width and height an H.264 SPS declares (cropping applied), or None if unreadable."""
    if len(nal) < 4 or nal[0] & 0x1F != 7:
        return None
    rbsp = bytearray()
    zeros = 0
    for byte in nal[1:]:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        rbsp.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    try:
        return _read_sps_size(_Bits(bytes(rbsp)))
    except (IndexError, ValueError):
        return None


def _read_sps_size(bits: _Bits) -> tuple[int, int] | None:
    profile = bits.bits(8)
    bits.bits(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    chroma_format = 1
    separate_planes = 0
    if profile in _HIGH_PROFILES:
        chroma_format = bits.ue()
        if chroma_format == 3:
            separate_planes = bits.bit()
        bits.ue()  # bit_depth_luma_minus8
        bits.ue()  # bit_depth_chroma_minus8
        bits.bit()  # qpprime_y_zero_transform_bypass_flag
        if bits.bit():  # seq_scaling_matrix_present_flag
            for index in range(8 if chroma_format != 3 else 12):
                if bits.bit():
                    _skip_scaling_list(bits, 16 if index < 6 else 64)
    bits.ue()  # log2_max_frame_num_minus4
    poc_type = bits.ue()
    if poc_type == 0:
        bits.ue()
    elif poc_type == 1:
        bits.bit()
        bits.se()
        bits.se()
        for _ in range(bits.ue()):
            bits.se()
    bits.ue()  # max_num_ref_frames
    bits.bit()  # gaps_in_frame_num_value_allowed_flag
    width_mbs = bits.ue() + 1
    height_units = bits.ue() + 1
    frame_mbs_only = bits.bit()
    if not frame_mbs_only:
        bits.bit()  # mb_adaptive_frame_field_flag
    bits.bit()  # direct_8x8_inference_flag
    crop = (0, 0, 0, 0)
    if bits.bit():
        crop = (bits.ue(), bits.ue(), bits.ue(), bits.ue())
    if chroma_format == 0 or separate_planes:
        unit_x, unit_y = 1, 2 - frame_mbs_only
    else:
        sub_width = 1 if chroma_format == 3 else 2
        sub_height = 2 if chroma_format == 1 else 1
        unit_x, unit_y = sub_width, sub_height * (2 - frame_mbs_only)
    width = width_mbs * 16 - unit_x * (crop[0] + crop[1])
    height = (2 - frame_mbs_only) * height_units * 16 - unit_y * (crop[2] + crop[3])
    return (width, height) if width > 0 and height > 0 else None


def _skip_scaling_list(bits: _Bits, size: int) -> None:
    last = next_scale = 8
    for _ in range(size):
        if next_scale:
            next_scale = (last + bits.se() + 256) % 256
        last = next_scale or last

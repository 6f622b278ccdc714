#!/bin/bash
# ladder.sh INPUT OUTDIR [extra hls flags] -- the live ladder: passthrough top rung + 480p + 360p, ONE ffmpeg.
# env: RE=1 read input at native rate (simulates a live publisher); KF=source|1s  HLS_TIME=1  LIST=10
#      HLSFLAGS (default delete_segments+independent_segments+program_date_time)
IN=$1; OUT=$2; shift 2
mkdir -p "$OUT"/src "$OUT"/480p "$OUT"/360p
case "${KF:-source}" in
  source) KFOPT=(-force_key_frames:v:1 source -force_key_frames:v:2 source) ;;   # rung IDR exactly where source has one
  1s)     KFOPT=(-force_key_frames:v:1 "expr:gte(t,n_forced*1)" -force_key_frames:v:2 "expr:gte(t,n_forced*1)") ;;
esac
exec ffmpeg -hide_banner -loglevel warning -stats_period 2 -stats ${RE:+-re} \
  -f flv -i "$IN" \
  -filter_complex "[0:v]split=2[a][b];[a]scale=-2:480[v1];[b]scale=-2:360[v2]" \
  -map 0:v -map 0:a -map "[v1]" -map 0:a -map "[v2]" -map 0:a \
  -c:v:0 copy \
  -c:v:1 libx264 -b:v:1 1400k -maxrate:v:1 1500k -bufsize:v:1 2000k \
  -c:v:2 libx264 -b:v:2 700k  -maxrate:v:2 750k  -bufsize:v:2 1000k \
  -preset veryfast -tune zerolatency -threads 1 -sc_threshold 0 -bf 0 \
  "${KFOPT[@]}" \
  -c:a copy \
  -f hls -hls_time "${HLS_TIME:-1}" -hls_list_size "${LIST:-10}" \
  -hls_flags "${HLSFLAGS:-delete_segments+independent_segments+program_date_time}" \
  -master_pl_name master.m3u8 \
  -var_stream_map "v:0,a:0,name:src v:1,a:1,name:480p v:2,a:2,name:360p" \
  -hls_segment_filename "$OUT/%v/seg_%05d.ts" "$@" "$OUT/%v/index.m3u8"

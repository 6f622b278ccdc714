import type { LiveInput } from "../../api/types";
import { formatCount } from "../analytics/format";
import { CopyButton } from "../CopyButton";
import { BITRATE_SUGGESTIONS, ffmpegCommand, maskKey, publishUrl } from "./liveView";

/** What to type into OBS (or any RTMP encoder), and the same as an ffmpeg command line. */
export function EncoderSettings({ input }: { input: LiveInput }) {
  const command = ffmpegCommand(publishUrl(input.rtmpUrl, input.streamKey));
  const shownCommand = ffmpegCommand(publishUrl(input.rtmpUrl, maskKey(input.streamKey)));
  return (
    <section className="card live-section" aria-labelledby="encoder-title" data-testid="encoder-settings">
      <h2 id="encoder-title">Encoder settings</h2>
      <div className="encoder-grid">
        <div>
          <h3>OBS Studio</h3>
          <dl className="settings-list">
            <dt>Settings › Stream</dt>
            <dd>Service <b>Custom…</b>, Server <b>the RTMP URL</b>, Stream Key <b>the stream key</b></dd>
            <dt>Settings › Output (Advanced)</dt>
            <dd>
              Encoder <b>x264</b> or a hardware <b>H.264</b> encoder (NVENC, QuickSync, Apple VT); Rate control <b>CBR</b>;
              Keyframe interval <b>1 s</b> (2 s at most); Profile <b>high</b> or main; x264 preset <b>veryfast</b>
            </dd>
            <dt>Audio</dt>
            <dd>
              <b>AAC</b>, <b>128 kbps</b>, sample rate <b>48 kHz</b> (Settings › Audio), stereo
            </dd>
          </dl>
        </div>
        <div>
          <h3>Video bitrate (CBR)</h3>
          <table className="table table-compact" data-testid="bitrate-suggestions">
            <thead>
              <tr>
                <th scope="col">Resolution</th>
                <th scope="col">Frame rate</th>
                <th scope="col" className="num">Bitrate</th>
              </tr>
            </thead>
            <tbody>
              {BITRATE_SUGGESTIONS.map((s) => (
                <tr key={`${s.resolution}@${s.fps}`}>
                  <td>{s.resolution}</td>
                  <td>{s.fps} fps</td>
                  <td className="num">
                    {formatCount(s.minKbps)}–{formatCount(s.maxKbps)} kbps
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="field-hint">Keep the total (video + 128 kbps audio) under about 75% of your upload speed.</p>
        </div>
      </div>
      <h3>ffmpeg</h3>
      <div className="snippet">
        <pre className="command" data-testid="ffmpeg-command">{shownCommand}</pre>
        <CopyButton text={command} testId="copy-ffmpeg-command" />
      </div>
    </section>
  );
}

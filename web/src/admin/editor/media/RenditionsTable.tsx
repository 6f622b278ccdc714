import type { Rendition } from "../../../api/types";
import { formatBandwidth, sortRenditions } from "./mediaFormat";

/** The HLS qualities the transcode produced. */
export function RenditionsTable({ renditions }: { renditions: Rendition[] }) {
  if (renditions.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="renditions-table">
        <thead>
          <tr>
            <th scope="col">Quality</th>
            <th scope="col">Resolution</th>
            <th scope="col">Bitrate</th>
          </tr>
        </thead>
        <tbody>
          {sortRenditions(renditions).map((r) => (
            <tr key={r.name} data-testid="rendition-row">
              <td>{r.name}</td>
              <td>{r.width}×{r.height}</td>
              <td>{formatBandwidth(r.bandwidth)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

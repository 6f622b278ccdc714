// A media link's signature is three query parameters: `exp` (unix seconds), `sig` (HMAC) and `pfx` (the signed
// folder). A viewer's signature is short-lived: the player renews it through the playback endpoint and puts the
// newest one on every later media request, keeping the rest of the URL as it is.

export interface MediaSignature {
  exp: string;
  sig: string;
  pfx: string;
}

const SIGNATURE_NAMES = new Set(["exp", "sig", "pfx"]);

function splitUrl(url: string): { path: string; query: string; fragment: string } {
  const hashAt = url.indexOf("#");
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? "" : url.slice(hashAt);
  const queryAt = beforeHash.indexOf("?");
  if (queryAt < 0) return { path: beforeHash, query: "", fragment };
  return { path: beforeHash.slice(0, queryAt), query: beforeHash.slice(queryAt + 1), fragment };
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** The path part of a URL, absolute (`https://host/media/...`) or not (`/media/...`, `180p/seg.m4s`). */
function pathOf(path: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(path);
  return scheme ? path.slice(scheme[0].length) || "/" : path;
}

/** The signature a URL carries, or null when it has none (or names one of its parts twice). */
export function signatureOf(url: string): MediaSignature | null {
  const found: Partial<Record<keyof MediaSignature, string>> = {};
  for (const part of splitUrl(url).query.split("&")) {
    const equals = part.indexOf("=");
    const name = equals < 0 ? part : part.slice(0, equals);
    if (!SIGNATURE_NAMES.has(name)) continue;
    const key = name as keyof MediaSignature;
    if (found[key] !== undefined) return null;
    found[key] = decoded(equals < 0 ? "" : part.slice(equals + 1));
  }
  const { exp, sig, pfx } = found;
  return exp && sig && pfx ? { exp, sig, pfx } : null;
}

/**
 * The URL with `signature` in place of the one it carries. A URL without a signature, or outside the signed
 * folder (another asset, another site), is returned unchanged: the new signature would not open it anyway.
 * The other parameters (hls.js's `_HLS_msn`, say) and the fragment (`#xywh=`) are kept as they were.
 */
export function resign(url: string, signature: MediaSignature | null): string {
  if (!signature) return url;
  const { path, query, fragment } = splitUrl(url);
  if (!query || !signatureOf(url) || !pathOf(path).startsWith(signature.pfx)) return url;
  const kept = query.split("&").filter((part) => part !== "" && !SIGNATURE_NAMES.has(part.split("=")[0] ?? ""));
  // The same raw form the server writes (`pfx=/media/<id>/`, unescaped), so nginx and the app read it alike.
  kept.push(`exp=${signature.exp}`, `sig=${signature.sig}`, `pfx=${signature.pfx}`);
  return `${path}?${kept.join("&")}${fragment}`;
}

// GoLive signed media for nginx (njs 0.7+). Same scheme as src/golive/media/hls.py:
//   /media/<assetId>/<file>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>&pfx=/media/<assetId>/
// sig = HMAC-SHA256(mediaKey, exp + ":" + pfx); valid while the path starts with pfx and exp is not past.
// The derived media key is preloaded once at start (js_preload_object golive_media_key), never read per request,
// and decoded once when the module loads (at start and on reload): a request only computes one HMAC.
import fs from 'fs';
import crypto from 'crypto';

const PREFIX = /^\/(?:[A-Za-z0-9_-]+\/){2,}$/;
const EXPIRES = /^[0-9]{1,12}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const URI_ATTRIBUTE = /(URI=")([^"]*)(")/g;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const KEY = Buffer.from(golive_media_key.mediaKeyHex, 'hex');

function single(value) {
    // A repeated parameter arrives as an array: refuse it rather than guess which one counts.
    return typeof value === 'string' ? value : '';
}

function sameString(a, b) {
    if (a.length !== b.length) {
        return false;
    }
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
        diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    }
    return diff === 0;
}

function grant(r) {
    const exp = single(r.args.exp);
    const sig = single(r.args.sig);
    const pfx = single(r.args.pfx);
    if (!EXPIRES.test(exp) || !SIGNATURE.test(sig) || !PREFIX.test(pfx)) {
        return null;
    }
    if (!r.uri.startsWith(pfx) || r.uri.indexOf('..') !== -1) {
        return null;
    }
    if (Number(exp) < Date.now() / 1000) {
        return null;
    }
    const expected = crypto.createHmac('sha256', KEY).update(exp + ':' + pfx).digest('base64url');
    return sameString(expected, sig) ? { exp: exp, sig: sig, pfx: pfx } : null;
}

// A deleted asset's folder is moved out of the media root at once (to .withdrawn/, unreachable by any
// signable path), so one stat of /<root>/<assetId> tells whether it may still be served. It is checked
// here rather than left to the file lookup because open_file_cache keeps descriptors of recently served
// files for up to open_file_cache_valid, and those would outlive the move.
function assetFolderExists(r) {
    try {
        fs.accessSync(r.variables.golive_media_root + '/' + r.uri.split('/')[2]);
        return true;
    } catch (e) {
        return false;
    }
}

// js_set $golive_media_access: "1" when the request carries a valid signature for its path and the
// asset is still there, "gone" when the signature is valid but the asset was deleted, else "0".
function mediaAccess(r) {
    if (!grant(r)) {
        return '0';
    }
    return assetFolderExists(r) ? '1' : 'gone';
}

function rewritePlaylist(text, g) {
    const query = 'exp=' + g.exp + '&sig=' + g.sig + '&pfx=' + g.pfx;
    function signUri(uri) {
        if (!uri || SCHEME.test(uri) || uri.startsWith('//')) {
            return uri;
        }
        if (uri.startsWith('/') && !uri.startsWith(g.pfx)) {
            return uri;
        }
        const hash = uri.indexOf('#');
        const fragment = hash === -1 ? '' : uri.slice(hash);
        const bare = hash === -1 ? uri : uri.slice(0, hash);
        return bare + (bare.indexOf('?') === -1 ? '?' : '&') + query + fragment;
    }
    return text.split('\n').map(function (line) {
        const cr = line.endsWith('\r') ? '\r' : '';
        const body = cr ? line.slice(0, -1) : line;
        const stripped = body.trim();
        if (!stripped) {
            return line;
        }
        if (stripped.startsWith('#')) {
            return body.replace(URI_ATTRIBUTE, function (m, open, uri, close) {
                return open + signUri(uri) + close;
            }) + cr;
        }
        return signUri(stripped) + cr;
    }).join('\n');
}

// The thumbnails track: a cue's payload (the line after its timing line) is an image URI relative
// to the track; it gets the signature too. Same rule as golive.media.delivery.sign_thumbnail_track.
function rewriteThumbnails(text, g) {
    const query = 'exp=' + g.exp + '&sig=' + g.sig + '&pfx=' + g.pfx;
    const lines = text.split('\n');
    for (let i = 1; i < lines.length; i++) {
        const uri = lines[i].trim();
        if (lines[i - 1].indexOf('-->') === -1 || !uri || SCHEME.test(uri) || uri.startsWith('/')) {
            continue;
        }
        const hash = uri.indexOf('#');
        const fragment = hash === -1 ? '' : uri.slice(hash);
        const bare = hash === -1 ? uri : uri.slice(0, hash);
        lines[i] = bare + (bare.indexOf('?') === -1 ? '?' : '&') + query + fragment;
    }
    return lines.join('\n');
}

function serveRewritten(r, contentType, rewrite) {
    const g = grant(r);
    if (!g) {
        r.return(403);
        return;
    }
    if (!assetFolderExists(r)) {
        r.return(404);
        return;
    }
    let text;
    try {
        text = fs.readFileSync(r.variables.request_filename, 'utf8');
    } catch (e) {
        r.return(404);
        return;
    }
    r.headersOut['Content-Type'] = contentType;
    r.return(200, rewrite(text, g));
}

// js_content for *.m3u8: the inner URIs get the request's own signature, so a player that
// resolves relative URIs keeps presenting a valid signature for every segment.
function playlist(r) {
    serveRewritten(r, 'application/vnd.apple.mpegurl', rewritePlaylist);
}

// js_content for *.vtt: sprite images resolved relative to the track stay signed.
function thumbnails(r) {
    serveRewritten(r, 'text/vtt', rewriteThumbnails);
}

export default { mediaAccess, playlist, thumbnails, rewritePlaylist, rewriteThumbnails };

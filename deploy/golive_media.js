// GoLive signed media for nginx (njs 0.7+). Same scheme as src/golive/media/hls.py:
//   /media/<assetId>/<file>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>&pfx=/media/<assetId>/
// sig = HMAC-SHA256(mediaKey, exp + ":" + pfx); valid while the path starts with pfx and exp is not past.
// The derived media key is preloaded once at start (js_preload_object golive_media_key), never read per request,
// and decoded once when the module loads (at start and on reload): a request only computes one HMAC.
// With media in a bucket (golive.media.hls.render_nginx_conf with s3), nginx fetches objects itself, each
// request signed with AWS Signature V4 from the credentials preloaded as golive_s3 (deploy/nginx-media-s3.conf).
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

// js_set $golive_media_signed (bucket storage): "1" when the request carries a valid signature for its path.
// A deleted asset's objects leave the bucket at once; nginx's cache may serve its segments a minute more.
function mediaSigned(r) {
    return grant(r) ? '1' : '0';
}

// AWS Signature V4 of nginx's GET of an object, with the hash of an empty body (a GET has none; S3 and
// S3-compatible stores all take it, as they take UNSIGNED-PAYLOAD).
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNED_HEADERS = 'host;x-amz-content-sha256;x-amz-date';

// The request's time as x-amz-date: nginx's cached time ($msec), so both headers of one request agree.
function s3Date(r) {
    const at = new Date(Math.floor(Number(r.variables.msec)) * 1000);
    return at.toISOString().replace(/[-:]/g, '').replace(/\.[0-9]{3}/, '');
}

// js_set $golive_s3_path: the object's path in the bucket (path-style), from /media/<key> or /_golive_s3/<key>.
function s3Path(r) {
    return '/' + golive_s3.bucket + r.uri.slice(r.uri.indexOf('/', 1));
}

function hmac(key, text) {
    return crypto.createHmac('sha256', key).update(text).digest();
}

// js_set $golive_s3_authorization.
function s3Authorization(r) {
    const s3 = golive_s3;
    const date = s3Date(r);
    const day = date.slice(0, 8);
    const scope = day + '/' + s3.region + '/s3/aws4_request';
    const canonical = [
        'GET', s3Path(r), '',
        'host:' + s3.host, 'x-amz-content-sha256:' + EMPTY_SHA256, 'x-amz-date:' + date, '',
        SIGNED_HEADERS, EMPTY_SHA256,
    ].join('\n');
    const hashed = crypto.createHash('sha256').update(canonical).digest('hex');
    const toSign = ['AWS4-HMAC-SHA256', date, scope, hashed].join('\n');
    const key = hmac(hmac(hmac(hmac('AWS4' + s3.secretAccessKey, day), s3.region), 's3'), 'aws4_request');
    const signature = crypto.createHmac('sha256', key).update(toSign).digest('hex');
    return 'AWS4-HMAC-SHA256 Credential=' + s3.accessKeyId + '/' + scope +
        ', SignedHeaders=' + SIGNED_HEADERS + ', Signature=' + signature;
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

// Bucket storage: the playlist or track fetched through the internal /_golive_s3/ location, then rewritten.
async function serveRewrittenFromBucket(r, contentType, rewrite) {
    const g = grant(r);
    if (!g) {
        r.return(403);
        return;
    }
    const reply = await r.subrequest('/_golive_s3' + r.uri.slice('/media'.length));
    if (reply.status !== 200) {
        // Missing is 404 (GoLive's key may list the bucket, as the app's deletions need); anything else
        // (a 403: a wrong key or clock) is the bucket's fault, not the viewer's.
        if (reply.status !== 404) {
            r.error('golive: the bucket answered ' + reply.status + ' for ' + r.uri);
        }
        r.return(reply.status === 404 ? 404 : 502);
        return;
    }
    r.headersOut['Content-Type'] = contentType;
    r.return(200, rewrite(reply.responseText, g));
}

async function bucketPlaylist(r) {
    await serveRewrittenFromBucket(r, 'application/vnd.apple.mpegurl', rewritePlaylist);
}

async function bucketThumbnails(r) {
    await serveRewrittenFromBucket(r, 'text/vtt', rewriteThumbnails);
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

export default {
    mediaAccess, playlist, thumbnails, rewritePlaylist, rewriteThumbnails,
    mediaSigned, s3Date, s3Path, s3Authorization, bucketPlaylist, bucketThumbnails,
};

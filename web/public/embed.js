/* GoLive embed helper for the page that embeds a GoLive player: each GoLive iframe takes the height its
   content asks for (16:9 for the player, more for a registration card), like Vimeo's player.js.
   Add once per page: <script src="https://YOUR-GOLIVE/static/app/embed.js" async></script> */
(function () {
  "use strict";
  if (window.__goliveEmbedSizing) return;
  window.__goliveEmbedSizing = true;
  var MAX_HEIGHT = 4000;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "golive:embed-size" || typeof data.height !== "number" || !(data.height > 0)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      // only the GoLive server the iframe shows may size it
      if (new URL(frame.src, window.location.href).origin !== event.origin) return;
      frame.style.height = Math.min(Math.ceil(data.height), MAX_HEIGHT) + "px";
      return;
    }
  });
})();

// The page's playing <video>, for what follows its position (the chat's replay). One at a time: the last
// player to mount wins; it says when it goes away.

type Listener = (video: HTMLVideoElement | null) => void;

let current: HTMLVideoElement | null = null;
const listeners = new Set<Listener>();

export function publishVideo(video: HTMLVideoElement | null): void {
  current = video;
  for (const listener of listeners) listener(video);
}

/** Calls `listener` with the current video now and with every change; returns the unsubscribe. */
export function subscribeVideo(listener: Listener): () => void {
  listeners.add(listener);
  listener(current);
  return () => {
    listeners.delete(listener);
  };
}

export function withdrawVideo(video: HTMLVideoElement | null): void {
  if (current === video) publishVideo(null);
}

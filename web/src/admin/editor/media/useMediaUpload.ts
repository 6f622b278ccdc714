import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, media as mediaApi, type MediaUpload, type UnfinishedUpload } from "../../../api/client";

export type UploadPhase = "idle" | "starting" | "uploading" | "paused" | "done" | "failed";

export interface UploadState {
  phase: UploadPhase;
  filename: string | null;
  sentBytes: number;
  totalBytes: number;
  resumed: boolean;
  error: string | null;
}

const IDLE: UploadState = { phase: "idle", filename: null, sentBytes: 0, totalBytes: 0, resumed: false, error: null };

export interface MediaUploader {
  upload: UploadState;
  unfinished: UnfinishedUpload[];
  start: (file: File) => void;
  pause: () => void;
  resume: () => void;
  cancel: () => void;
  reset: () => void;
}

/** A resumable (tus) upload of the event's video, with pause, resume and cancel. */
export function useMediaUpload(eventId: string, onUploaded: () => void): MediaUploader {
  const [upload, setUpload] = useState<UploadState>(IDLE);
  const [unfinished, setUnfinished] = useState<UnfinishedUpload[]>([]);
  const handle = useRef<MediaUpload | null>(null);
  const uploaded = useRef(onUploaded);
  uploaded.current = onUploaded;

  useEffect(() => {
    let active = true;
    mediaApi
      .unfinishedUploads(eventId)
      .then((list) => active && setUnfinished(list))
      .catch(() => undefined); // no storage (private mode): nothing to resume
    return () => {
      active = false;
      // Leaving the page pauses the upload; choosing the same file later resumes it.
      void handle.current?.pause();
      handle.current = null;
    };
  }, [eventId]);

  const start = useCallback(
    (file: File) => {
      void handle.current?.pause();
      setUpload({ ...IDLE, phase: "starting", filename: file.name, totalBytes: file.size });
      mediaApi
        .upload(eventId, file, {
          onProgress: (sentBytes, totalBytes) => setUpload((u) => ({ ...u, phase: u.phase === "paused" ? "paused" : "uploading", sentBytes, totalBytes })),
          onSuccess: () => {
            handle.current = null;
            setUnfinished([]);
            setUpload((u) => ({ ...u, phase: "done", sentBytes: u.totalBytes }));
            uploaded.current();
          },
          onError: (err: ApiError) => {
            handle.current = null;
            setUpload((u) => ({ ...u, phase: "failed", error: err.message }));
          },
        })
        .then((h) => {
          handle.current = h;
          setUnfinished([]);
          setUpload((u) => (u.phase === "starting" ? { ...u, phase: "uploading", resumed: h.resumed } : { ...u, resumed: h.resumed }));
        })
        .catch(() => setUpload((u) => ({ ...u, phase: "failed", error: "Could not start the upload. Please try again." })));
    },
    [eventId],
  );

  const pause = useCallback(() => {
    void handle.current?.pause();
    setUpload((u) => ({ ...u, phase: "paused" }));
  }, []);

  const resume = useCallback(() => {
    handle.current?.resume();
    setUpload((u) => ({ ...u, phase: "uploading" }));
  }, []);

  const cancel = useCallback(() => {
    void handle.current?.cancel();
    handle.current = null;
    setUpload(IDLE);
  }, []);

  const reset = useCallback(() => setUpload(IDLE), []);

  return { upload, unfinished, start, pause, resume, cancel, reset };
}

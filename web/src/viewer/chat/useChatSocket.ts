import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { isFinalClose, reconnectDelay } from "./backoff";
import { chatReducer, initialChatState, lastSeenId, type ChatState } from "./chatState";
import { chatSocketUrl, parseFrame, type ClientFrame, type ServerFrame } from "./protocol";

/** connecting: the first try; open: hello received; reconnecting: dropped, trying again; refused: the room said no. */
export type ChatConnection = "connecting" | "open" | "reconnecting" | "refused";

const PING_MS = 25_000;
const TOO_SLOW = 1013;

export interface ChatSocket {
  state: ChatState;
  connection: ChatConnection;
  /** When the next reconnect attempt is due (ms since the epoch), while reconnecting. */
  retryAt: number | null;
  /** Sends a frame; false when the socket is not open (nothing was sent). */
  send: (frame: ClientFrame) => boolean;
  /** Tries again now (after a refusal, or instead of waiting out the backoff). */
  reconnect: () => void;
  dispatch: React.Dispatch<Parameters<typeof chatReducer>[1]>;
}

/**
 * One event's chat socket: a viewer's (with their token) or the console's (token null: the session cookie).
 * A dropped socket comes back with backoff, naming the last message it saw (`after`) so nothing is missed or
 * shown twice; a refusal (4401/4403/4404) is final until `reconnect()`.
 */
export interface ChatSocketOptions {
  enabled?: boolean;
  /** Hears every frame after the state took it: for what the state does not keep (the console's lists). */
  onFrame?: (frame: ServerFrame) => void;
}

export function useChatSocket(eventId: string, token: string | null, { enabled = true, onFrame }: ChatSocketOptions = {}): ChatSocket {
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const [connection, setConnection] = useState<ChatConnection>("connecting");
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [generation, setGeneration] = useState(0);
  const socketRef = useRef<WebSocket | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const onFrameRef = useRef(onFrame);
  onFrameRef.current = onFrame;

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let attempt = 0;
    let connectedOnce = false;
    let timer: number | undefined;
    let socket: WebSocket | null = null;
    if (generation === 0) dispatch({ type: "reset" });

    const connect = () => {
      window.clearTimeout(timer);
      setRetryAt(null);
      // the first connection of this hook takes the last 100; later ones only what they missed
      const after = connectedOnce || generation > 0 ? lastSeenId(stateRef.current) : null;
      const ws = new WebSocket(chatSocketUrl(eventId, token, after));
      socket = ws;
      socketRef.current = ws;
      ws.onmessage = (event) => {
        const frame = parseFrame(event.data);
        if (!frame || stopped) return;
        if (frame.type === "hello") {
          attempt = 0;
          connectedOnce = true;
          setConnection("open");
        }
        dispatch({ type: "frame", frame, now: Date.now() });
        onFrameRef.current?.(frame);
      };
      ws.onclose = (event) => {
        if (stopped || socket !== ws) return;
        socketRef.current = null;
        if (isFinalClose(event.code)) {
          setConnection("refused");
          return;
        }
        setConnection(connectedOnce ? "reconnecting" : attempt === 0 ? "connecting" : "reconnecting");
        const delay = event.code === TOO_SLOW ? 250 : reconnectDelay(attempt);
        attempt += 1;
        setRetryAt(Date.now() + delay);
        timer = window.setTimeout(connect, delay);
      };
    };

    // back online: no need to wait out the backoff
    const online = () => {
      if (socketRef.current === null && !stopped) connect();
    };
    const ping = window.setInterval(() => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
    }, PING_MS);
    window.addEventListener("online", online);
    setConnection(generation > 0 ? "reconnecting" : "connecting");
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      window.clearInterval(ping);
      window.removeEventListener("online", online);
      socketRef.current = null;
      socket?.close(1000);
    };
  }, [eventId, token, enabled, generation]);

  const send = useCallback((frame: ClientFrame): boolean => {
    const ws = socketRef.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }, []);

  const reconnect = useCallback(() => setGeneration((g) => g + 1), []);

  return { state, connection, retryAt, send, reconnect, dispatch };
}

import { PlayerMessage } from "./PlayerMessage";

/** The encoder went quiet: no frozen picture, no endless spinner; the player comes back by itself. */
export function BroadcastInterrupted() {
  return (
    <div className="player" data-testid="player">
      <PlayerMessage title="The broadcast is interrupted; it will resume here" testId="player-interrupted">
        <p>The stream stopped on the broadcaster&rsquo;s side. Stay on this page: the picture comes back by itself.</p>
      </PlayerMessage>
    </div>
  );
}

/** The live event is over: the replay is offered once it can be played. */
export function BroadcastEnded({ replayReady, onWatchReplay }: { replayReady: boolean; onWatchReplay: () => void }) {
  return (
    <div className="player" data-testid="player">
      <PlayerMessage
        title="The broadcast has ended"
        testId="player-broadcast-ended"
        action={
          replayReady ? (
            <button type="button" className="btn btn-primary" onClick={onWatchReplay} data-testid="watch-replay">
              Watch the replay
            </button>
          ) : null
        }
      >
        <p data-testid={replayReady ? "replay-ready" : "replay-pending"}>
          {replayReady ? "Thanks for watching. The replay is ready." : "Thanks for watching. The replay will appear here when it is ready."}
        </p>
      </PlayerMessage>
    </div>
  );
}

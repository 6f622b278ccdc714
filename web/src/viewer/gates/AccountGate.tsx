import { GateCard } from "./GateCard";

interface Props {
  eventId: string;
  /** In an embed the account's cookie does not reach the frame: signing in happens on the event's own page. */
  embedded: boolean;
  priceNote?: string;
}

/**
 * Account events: the viewer signs in (or creates an account), then comes back here; the re-entry check admits a
 * signed-in account with a verified email without a step of its own, so this card is only seen before that.
 */
export function AccountGate({ eventId, embedded, priceNote }: Props) {
  const eventPage = `/e/${encodeURIComponent(eventId)}`;
  const login = `/account/login?${new URLSearchParams({ next: eventPage })}`;
  const signup = `/account/signup?${new URLSearchParams({ next: eventPage })}`;
  function signIn() {
    if (embedded) window.open(login, "_blank", "noopener");
    else window.location.assign(login);
  }
  return (
    <GateCard
      kind="account"
      title="Sign in to watch"
      intro={
        <p>
          This event is for people with an account and a confirmed email. {priceNote}
        </p>
      }
      error={null}
      busy={false}
      submitLabel="Sign in"
      onSubmit={signIn}
      footer={
        <a href={signup} target={embedded ? "_blank" : undefined} rel="noopener" data-testid="gate-account-signup">
          Create an account
        </a>
      }
    />
  );
}

import { useCallback, useEffect, useRef, useState } from "react";
import { account } from "../api/client";
import type { Notification } from "../api/types";
import { formatShortDateTime } from "../lib/time";

const SHOWN = 10;

/**
 * The signed-in account's bell: its unread count, kept current by the notifications stream, and a panel of the
 * newest notifications (opening one marks it read; "Mark all read" clears the count on every tab).
 */
export function NotificationBell() {
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [open, setOpen] = useState(false);
  const [gone, setGone] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const stream = new EventSource(account.notificationStreamUrl);
    stream.addEventListener("unread", (event) => setUnread(JSON.parse((event as MessageEvent<string>).data).unread));
    stream.addEventListener("notification", (event) => {
      const item = JSON.parse((event as MessageEvent<string>).data) as Notification;
      setItems((current) => (current ? [item, ...current.filter((other) => other.notificationId !== item.notificationId)].slice(0, SHOWN) : current));
    });
    stream.addEventListener("signed_out", () => {
      stream.close();
      setGone(true);
    });
    return () => stream.close();
  }, []);

  const load = useCallback(() => {
    void account.notifications(SHOWN).then((page) => {
      setItems(page.items);
      setUnread(page.unread);
    }, () => setItems([]));
  }, []);

  useEffect(() => {
    if (!open) return;
    load();
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        setOpen(false);
        button.current?.focus();
        return;
      }
      if (!panel.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", close);
    document.addEventListener("mousedown", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("mousedown", close);
    };
  }, [open, load]);

  if (gone) return null;

  const markAll = async () => {
    const left = await account.markRead();
    setUnread(left.unread);
    setItems((current) => current?.map((item) => ({ ...item, isRead: true })) ?? current);
  };
  const opened = (item: Notification) => {
    if (!item.isRead) void account.markRead([item.notificationId]).then((left) => setUnread(left.unread));
  };

  return (
    <div className="bell">
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-controls="bell-panel"
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
        onClick={() => setOpen(!open)}
        data-testid="bell"
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {unread ? <span className="bell-count" data-testid="bell-count">{unread > 99 ? "99+" : unread}</span> : null}
      </button>
      {open ? (
        <div ref={panel} id="bell-panel" className="bell-panel" role="region" aria-label="Notifications" data-testid="bell-panel">
          <div className="bell-head">
            <strong>Notifications</strong>
            {unread ? <button type="button" className="btn btn-ghost btn-small" onClick={() => void markAll()} data-testid="bell-read-all">Mark all read</button> : null}
          </div>
          {items === null ? <p className="muted small">Loading…</p> : null}
          {items?.length === 0 ? <p className="muted small" data-testid="bell-empty">Nothing yet: receipts and reminders appear here.</p> : null}
          <ul>
            {items?.map((item) => (
              <li key={item.notificationId} className={item.isRead ? undefined : "bell-unread"} data-testid="bell-item">
                <a href={item.link ?? "/account/library"} onClick={() => opened(item)}>
                  <strong>{item.title}</strong>
                  {item.body ? <span>{item.body}</span> : null}
                  <small>{formatShortDateTime(item.createdAt)}</small>
                </a>
              </li>
            ))}
          </ul>
          <a className="small" href="/account#email-preferences">Email preferences</a>
        </div>
      ) : null}
    </div>
  );
}

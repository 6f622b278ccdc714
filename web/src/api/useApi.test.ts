// @vitest-environment happy-dom
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { events } from "./client";
import type { EventPage } from "./types";
import { useApi } from "./useApi";

/** A request the page made, answered when the test says so (the real client parses the answer). */
interface PendingCall {
  url: string;
  signal: AbortSignal;
  answer: (status: number, body: unknown) => void;
}

function holdRequests(): PendingCall[] {
  const calls: PendingCall[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
    const signal = init.signal as AbortSignal;
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener("abort", () => reject(new DOMException("The request was aborted", "AbortError")));
      calls.push({
        url,
        signal,
        answer: (status, body) => resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } })),
      });
    });
  });
  return calls;
}

const page = (...titles: string[]): EventPage => ({
  items: titles.map((title, i) => ({ eventId: `ev${i}`, title }) as EventPage["items"][number]),
  total: titles.length,
  limit: 20,
  offset: 0,
});

const errorBody = (message: string) => ({
  error: { code: "validation_error", message, details: {}, timestamp: "2025-05-01T10:00:00Z" },
});

/** The events list as a page uses it: one search text, a new request for each. */
function useEventSearch(q: string, options = {}) {
  return useApi((signal) => events.list({ q }, signal), [q], options);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("useApi", () => {
  it("loads on mount and shows the answer", async () => {
    const calls = holdRequests();
    const { result } = renderHook(() => useEventSearch("jazz"));
    expect(result.current.loading).toBe(true);
    expect(calls[0]?.url).toBe("/api/events?q=jazz");

    act(() => calls[0]?.answer(200, page("Jazz night")));

    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.data?.items.map((e) => e.title)).toEqual(["Jazz night"]);
    expect(result.current.error).toBeNull();
  });

  it("aborts the request of the old parameters and never shows its answer", async () => {
    const calls = holdRequests();
    const { result, rerender } = renderHook(({ q }) => useEventSearch(q), { initialProps: { q: "ja" } });
    rerender({ q: "jazz" });

    expect(calls).toHaveLength(2);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls[1]?.signal.aborted).toBe(false);
    act(() => calls[1]?.answer(200, page("Jazz night")));
    act(() => calls[0]?.answer(200, page("Jam session", "Java meetup")));

    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.data?.items.map((e) => e.title)).toEqual(["Jazz night"]);
  });

  it("drops a stale answer even when the loader ignores the abort", async () => {
    const answers: Array<(value: string) => void> = [];
    const { result, rerender } = renderHook(
      ({ q }) => useApi(() => new Promise<string>((resolve) => answers.push(resolve)), [q]),
      { initialProps: { q: "old" } },
    );
    rerender({ q: "new" });

    await act(async () => answers[1]?.("answer to new"));
    await act(async () => answers[0]?.("answer to old"));

    expect(result.current.data).toBe("answer to new");
    expect(result.current.loading).toBe(false);
  });

  it("aborts the request when the page goes away", () => {
    const calls = holdRequests();
    const { unmount } = renderHook(() => useEventSearch("jazz"));
    unmount();
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  it("surfaces the message of the server's error body, and clears it once a load succeeds", async () => {
    const calls = holdRequests();
    const { result } = renderHook(() => useEventSearch("jazz"));

    act(() => calls[0]?.answer(422, errorBody("limit must be between 1 and 100")));
    await waitFor(() => expect(result.current.error).toBe("limit must be between 1 and 100"));
    expect(result.current.loading).toBe(false);
    expect(result.current.data).toBeNull();

    act(() => result.current.reload());
    expect(result.current.loading).toBe(true);
    act(() => calls[1]?.answer(200, page("Jazz night")));
    await waitFor(() => expect(result.current.error).toBeNull());
    expect(result.current.data?.items).toHaveLength(1);
  });

  it("says in its own words what a refusal means when asked to", async () => {
    const calls = holdRequests();
    const describe404 = { describe: (err: { status: number; message: string }) => (err.status === 404 ? "This event does not exist." : err.message) };
    const { result } = renderHook(() => useEventSearch("jazz", describe404));
    act(() => calls[0]?.answer(404, { error: { code: "not_found", message: "Event not found", details: {}, timestamp: "" } }));
    await waitFor(() => expect(result.current.error).toBe("This event does not exist."));
  });

  it("keeps the last answer while it reloads and while new parameters load", async () => {
    const calls = holdRequests();
    const { result, rerender } = renderHook(({ q }) => useEventSearch(q), { initialProps: { q: "jazz" } });
    act(() => calls[0]?.answer(200, page("Jazz night")));
    await waitFor(() => expect(result.current.data).not.toBeNull());

    act(() => result.current.reload());
    expect(result.current.loading).toBe(true);
    expect(result.current.data?.items.map((e) => e.title)).toEqual(["Jazz night"]);
    expect(calls[1]?.url).toBe("/api/events?q=jazz");

    rerender({ q: "rock" });
    expect(calls[1]?.signal.aborted).toBe(true);
    expect(result.current.data?.items.map((e) => e.title)).toEqual(["Jazz night"]);
  });

  it("drops the last answer on new parameters when told to", async () => {
    const calls = holdRequests();
    const { result, rerender } = renderHook(({ q }) => useEventSearch(q, { resetOnChange: true }), { initialProps: { q: "jazz" } });
    act(() => calls[0]?.answer(200, page("Jazz night")));
    await waitFor(() => expect(result.current.data).not.toBeNull());

    act(() => result.current.reload());
    expect(result.current.data).not.toBeNull(); // a reload keeps it
    rerender({ q: "rock" });
    expect(result.current.data).toBeNull();
  });

  it("loads nothing while disabled, and loads once enabled", async () => {
    const calls = holdRequests();
    const { result, rerender } = renderHook(({ enabled }) => useEventSearch("jazz", { enabled }), { initialProps: { enabled: false } });
    expect(calls).toHaveLength(0);
    expect(result.current.loading).toBe(false);

    rerender({ enabled: true });
    expect(calls).toHaveLength(1);
    act(() => calls[0]?.answer(200, page("Jazz night")));
    await waitFor(() => expect(result.current.data?.total).toBe(1));
  });
});
